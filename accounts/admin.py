"""Admin for accounts (账号) and API tokens, scoped like everything else.

Staff with a region manage the accounts of their region's subtree (`liaison.selectors.
user_list`): staff and leader accounts by their region, a deputy's account by the deputy's
region, a unit officer's by the unit's. They create accounts only there, never superusers,
and every account is written through `accounts.services` (the API's write path), which keeps
an account's role, region and link (deputy record, unit) consistent. Leaders, deputies and
unit officers manage no accounts.

API tokens (API 令牌) can be issued and revoked here, never read: the database keeps only a
digest (`accounts.models.ApiToken`). The action 签发 API 令牌 makes a new token for each
selected account and shows the keys on one page, once (the page is not cached and the keys go
into no message or log); API 令牌 lists the tokens of the accounts in scope (purpose, issued,
last used, issued by) to issue one more or revoke them. The account's history names who issued
or revoked a token for someone else.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelect
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm, UserChangeForm, UserCreationForm
from django.db.models import Exists, OuterRef, Q
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from accounts.models import ApiToken
from accounts.selectors import may_manage_accounts, user_list
from accounts.services import (
    ADMIN_ROLES,
    token_issue,
    token_revoke,
    token_revoke_one,
    user_create,
    user_update,
)
from liaison.admin_mixins import RoleScopedAdminMixin, adopt
from liaison.models import Role, User
from stations.admin_filters import RegionTreeFilter


class AccountScopedMixin(RoleScopedAdminMixin):
    """Accounts are managed by staff (and superusers) only; an account is in scope when
    `user_list` lists it."""

    def scoped_queryset(self, request):
        return user_list(user=request.user)

    def object_in_scope(self, request, obj):
        return user_list(user=request.user).filter(pk=obj.pk).exists()

    def has_module_permission(self, request):
        return request.user.is_staff and may_manage_accounts(request.user)

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request) and (obj is None or self.object_in_scope(request, obj))

    def has_add_permission(self, request):
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None):
        return self.has_view_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self.has_view_permission(request, obj)


class AccountRegionFilter(RegionTreeFilter):
    """所在区划 for accounts: a staff or leader account's region, a deputy's or a unit's."""

    def queryset(self, request, queryset):
        selected = self._selected(request)
        if selected is None:
            return queryset
        inside = (
            Q(region__code__startswith=selected)
            | Q(deputy__region__code__startswith=selected)
            | Q(units__region__code__startswith=selected)
        )
        return queryset.filter(pk__in=User.objects.filter(inside).values("pk"))


class AccountFormMixin(forms.Form):
    """The role's link: a region (staff, leader), a deputy record (deputy) or a unit."""

    # Placeholders: the admin puts fields with the user's scoped choices in their place.
    deputy = forms.ModelChoiceField(label=_("代表"), queryset=User.objects.none(), required=False)
    unit = forms.ModelChoiceField(label=_("承办单位"), queryset=User.objects.none(), required=False)

    #: whether the editor is a superuser (set by the admin)
    editor_is_superuser = False

    def clean(self):
        cleaned = super().clean()
        role = cleaned.get("role")
        if role in ADMIN_ROLES and not cleaned.get("region") and not self.editor_is_superuser:
            self.add_error("region", gettext("工作人员和领导的账号必须指定管辖区划。"))
        if role == Role.DEPUTY:
            deputy = cleaned.get("deputy")
            if deputy is None:
                self.add_error("deputy", gettext("请选择该账号所属的代表。"))
            elif deputy.user_id not in (None, getattr(self.instance, "pk", None)):
                self.add_error("deputy", gettext("该代表已有登录账号。"))
        if role == Role.UNIT_OFFICER and cleaned.get("unit") is None:
            self.add_error("unit", gettext("请选择该账号所属的承办单位。"))
        return cleaned


class AccountCreationForm(AccountFormMixin, UserCreationForm):
    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username",)


class AccountChangeForm(AccountFormMixin, UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User
        fields = "__all__"


class AccountPasswordChangeForm(AdminPasswordChangeForm):
    """A new password (or none) also ends the account's API token, as `user_update` does."""

    def save(self, commit=True):
        user = super().save(commit=commit)
        if commit:
            token_revoke(user=user)
        return user


class HasToken(admin.SimpleListFilter):
    title = _("API 令牌")
    parameter_name = "has_token"

    def lookups(self, request, model_admin):
        return [("yes", _("已签发")), ("no", _("未签发"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(has_token=True)
        if self.value() == "no":
            return queryset.filter(has_token=False)
        return queryset


@admin.register(User)
class UserAdmin(AccountScopedMixin, DjangoUserAdmin):
    form = AccountChangeForm
    add_form = AccountCreationForm
    change_password_form = AccountPasswordChangeForm
    list_display = ("username", "name", "role", "region", "linked_to", "is_active", "token_issued", "last_login")
    list_filter = (AccountRegionFilter, "role", "is_active", HasToken)
    search_fields = ("username", "name", "phone")
    search_help_text = _("按用户名、姓名或手机号搜索")
    autocomplete_fields = ("region",)
    ordering = ("username",)
    actions = ("issue_tokens", "revoke_tokens")
    region_path = "region__code"
    account_fields = ("name", "phone", "role", "region", "deputy", "unit", "is_active")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("个人信息"), {"fields": ("name", "phone")}),
        (_("角色与范围"), {"fields": ("role", "region", "deputy", "unit", "is_active")}),
    )
    superuser_fieldsets = (
        (_("权限"), {"fields": ("is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("重要日期"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "password1", "password2")}),
        (_("个人信息"), {"fields": ("name", "phone")}),
        (_("角色与范围"), {"fields": ("role", "region", "deputy", "unit", "is_active")}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(has_token=Exists(ApiToken.objects.filter(user=OuterRef("pk"))))

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None and request.user.is_superuser:
            fieldsets = (*fieldsets, *self.superuser_fieldsets)
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        return ("last_login", "date_joined") if obj is not None else ()

    def get_form(self, request, obj=None, **kwargs):
        from deputies.models import Deputy, Reception
        from deputies.selectors import deputy_list
        from suggestions.selectors import unit_list

        form = super().get_form(request, obj, **kwargs)
        # New field objects for this request: the declared ones are shared by every form.
        deputy_field = forms.ModelChoiceField(
            label=_("代表"),
            queryset=deputy_list(user=request.user).order_by("name", "pk"),
            required=False,
            # Picked by search through the deputies admin's autocomplete; the reception
            # form's deputies field is the registered source of that search.
            widget=AutocompleteSelect(Reception._meta.get_field("deputies"), self.admin_site),
            help_text=_("角色为“人大代表”时必填：该账号属于哪位代表。"),
            error_messages={"invalid_choice": gettext("所选代表不存在或不在您的管辖范围内。")},
        )
        unit_field = forms.ModelChoiceField(
            label=_("承办单位"),
            queryset=unit_list(user=request.user).order_by("region_id", "name"),
            required=False,
            help_text=_("角色为“承办单位联络员”时必填。"),
            error_messages={"invalid_choice": gettext("所选承办单位不存在或不在您的管辖范围内。")},
        )
        if obj is not None:
            deputy_field.initial = Deputy.objects.filter(user=obj).values_list("pk", flat=True).first()
            unit_field.initial = obj.units.order_by("pk").values_list("pk", flat=True).first()
        form.base_fields["deputy"] = deputy_field
        form.base_fields["unit"] = unit_field
        form.editor_is_superuser = request.user.is_superuser
        return form

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        links = {name: data.get(name) for name in ("role", "region", "deputy", "unit")}
        if change:
            changed = {
                name: data[name] for name in ("username", "name", "phone", "is_active") if name in form.changed_data
            }
            user_update(user=obj, **changed, **links)
        else:
            adopt(
                obj,
                user_create(
                    username=data["username"], password=data["password1"], name=data.get("name", ""),
                    phone=data.get("phone", ""), is_active=data.get("is_active", True), **links,
                ),
            )
        if request.user.is_superuser and change:
            flags = {name: data[name] for name in ("is_staff", "is_superuser") if name in data}
            if flags:
                User.objects.filter(pk=obj.pk).update(**flags)

    @admin.display(description=_("对应代表或单位"))
    def linked_to(self, user):
        deputy = getattr(user, "deputy", None)
        if deputy is not None:
            return deputy.name
        units = [unit.name for unit in user.units.all()]
        return "、".join(units) or "—"

    @admin.display(description=_("API 令牌"), boolean=True, ordering="has_token")
    def token_issued(self, user):
        return user.has_token

    @admin.action(description=_("签发 API 令牌"), permissions=["change"])
    def issue_tokens(self, request, queryset):
        """A new token for each selected active account, its key shown on this page only."""
        issued, skipped = [], []
        for user in queryset.order_by("username"):
            if not user.is_active:
                skipped.append(user.username)
                continue
            issued.append((user, token_issue(user=user, name=gettext("后台签发"), by=request.user).key))
        if skipped:
            messages.warning(request, gettext("停用的账号不签发令牌：%(users)s") % {"users": "、".join(skipped)})
        if not issued:
            return None
        return tokens_issued_page(self, request, issued)

    @admin.action(description=_("作废全部 API 令牌"), permissions=["change"])
    def revoke_tokens(self, request, queryset):
        count = sum(token_revoke(user=user, by=request.user) for user in queryset)
        messages.success(request, ngettext("已作废 %(count)d 个 API 令牌。", "已作废 %(count)d 个 API 令牌。", count) % {"count": count})


def tokens_issued_page(model_admin, request, issued):
    """The one page a new token's key is ever shown on (not cached, not logged)."""
    response = TemplateResponse(
        request,
        "admin/accounts/tokens_issued.html",
        {
            **model_admin.admin_site.each_context(request),
            "title": gettext("新签发的 API 令牌"),
            "opts": model_admin.opts,
            "issued": issued,
            "tokens_url": "admin:accounts_apitoken_changelist",
        },
    )
    add_never_cache_headers(response)
    return response


class ApiTokenAddForm(forms.ModelForm):
    class Meta:
        model = ApiToken
        fields = ("user", "name")

    def clean_user(self):
        user = self.cleaned_data["user"]
        if not user.is_active:
            raise forms.ValidationError(gettext("停用的账号不签发令牌。"))
        return user


@admin.register(ApiToken)
class ApiTokenAdmin(AccountScopedMixin, admin.ModelAdmin):
    """API 令牌 of the accounts the user manages: issue one more, or revoke; the key never
    shows (only a digest is stored). Deleting a token revokes it."""

    add_form = ApiTokenAddForm
    list_display = ("user", "name", "created", "last_used", "issued_by")
    list_select_related = ("user", "issued_by")
    search_fields = ("user__username", "user__name", "name")
    search_help_text = _("按用户名、姓名或用途搜索")
    autocomplete_fields = ("user",)
    readonly_fields = ("user", "name", "created", "last_used", "expiry", "issued_by")
    fields = ("user", "name", "created", "last_used", "expiry", "issued_by")

    def scoped_queryset(self, request):
        return ApiToken.objects.filter(user__in=user_list(user=request.user).values("pk")).select_related(
            "user", "issued_by"
        )

    def object_in_scope(self, request, obj):
        return user_list(user=request.user).filter(pk=obj.user_id).exists()

    def has_change_permission(self, request, obj=None):
        return False  # a token is issued or revoked, never edited

    def get_fields(self, request, obj=None):
        return ("user", "name") if obj is None else self.fields

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else self.readonly_fields

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = self.add_form
        return super().get_form(request, obj, **kwargs)

    def get_field_queryset(self, db, db_field, request):
        if db_field.name == "user":
            return user_list(user=request.user).filter(is_active=True).order_by("username")
        return super().get_field_queryset(db, db_field, request)

    def save_model(self, request, obj, form, change):
        issued = token_issue(user=form.cleaned_data["user"], name=form.cleaned_data["name"], by=request.user)
        obj.pk = issued.token.pk
        obj._state.adding = False
        obj._issued = issued

    def response_add(self, request, obj, post_url_continue=None):
        return tokens_issued_page(self, request, [(obj._issued.token.user, obj._issued.key)])

    def delete_model(self, request, obj):
        token_revoke_one(token=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for token in queryset.select_related("user"):
            token_revoke_one(token=token, by=request.user)
