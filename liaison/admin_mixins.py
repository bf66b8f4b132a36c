"""What every admin class of the project shares: access by role, scoping by region.

Staff (role `staff`, `is_staff`) manage the objects of their region's subtree without any
per-user permission setup; leaders read the same objects; superusers do everything; deputies
and unit officers do not use the admin. Each admin class says where its objects' region is
(`region_path`) and reads through the app's selector (`scoped_queryset`), so:

- the changelist, the change page and the export list only the user's subtree, and a foreign
  object's change URL answers like a missing one (the admin redirects to its index);
- foreign-key and many-to-many choices, and the autocomplete results behind them, come from
  the target model's admin `scoped_queryset`, so a county's staff can neither pick nor submit
  another county's region, station, deputy or unit (a Chinese "not in your scope" error);
- import and export (django-import-export) pass the user to the resource, which refuses rows
  outside the user's region.
"""

from django.contrib import admin, messages
from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import CSV, XLSX
from import_export.forms import ImportForm

from liaison.importing.background import background_rows, import_job_enqueue
from liaison.importing.formats import BoundedCSV, BoundedXLSX, decode_csv, unknown_encoding
from liaison.importing.limits import ImportLimits, ImportRefused
from liaison.models import ImportJob, Role
from liaison.scoping import EVERYWHERE, region_scope

# ---------------------------------------------------------------------------------------
# who may do what


def _is_admin_user(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.is_staff)


def can_read(user) -> bool:
    """Superusers, and staff or leaders with a region (and `is_staff`), may open the admin."""
    return _is_admin_user(user) and region_scope(user) is not None


def can_write(user) -> bool:
    """Superusers and staff with a region change data; leaders only read it."""
    if not can_read(user):
        return False
    return user.is_superuser or user.role == Role.STAFF


def attribute_path(lookup: str) -> str:
    """`station__region__code` → `station__region_id`: the same value read from the objects
    without loading the region."""
    return lookup[: -len("__code")] + "_id" if lookup.endswith("__code") else lookup


def resolve_path(obj, path: str):
    """Follow `a__b__c` from `obj` (None as soon as a step is None)."""
    for step in path.split("__"):
        if obj is None:
            return None
        obj = getattr(obj, step, None)
    return obj


class RoleScopedAdminMixin:
    """Permissions by role and region for a `ModelAdmin`.

    `region_path` is the lookup from the model to the code of its region (`region__code`,
    `station__region__code`, ...; Django refuses `startswith` on a foreign key itself, and
    `region__code` needs no join because the code is the region's primary key); `scoped_queryset()` is what the user may see, by default
    the model's rows whose region lies in the user's subtree. Admin classes that have a
    selector override `scoped_queryset()` to call it, and `get_queryset()` adds the list's
    annotations on top.
    """

    region_path = "region__code"

    # --- reads ------------------------------------------------------------------------
    def scoped_queryset(self, request) -> QuerySet:
        scope = region_scope(request.user)
        objects = self.model._default_manager.all()
        if scope is None:
            return objects.none()
        if scope == EVERYWHERE:
            return objects
        return objects.filter(**{f"{self.region_path}__startswith": scope})

    def get_queryset(self, request):
        queryset = self.scoped_queryset(request)
        ordering = self.get_ordering(request)
        if ordering:
            queryset = queryset.order_by(*ordering)
        return queryset

    def object_in_scope(self, request, obj) -> bool:
        scope = region_scope(request.user)
        if scope is None:
            return False
        if scope == EVERYWHERE:
            return True
        code = resolve_path(obj, attribute_path(self.region_path))
        return code is not None and str(code).startswith(scope)

    # --- permissions ------------------------------------------------------------------
    def has_module_permission(self, request):
        return can_read(request.user)

    def has_view_permission(self, request, obj=None):
        if not can_read(request.user):
            return False
        return obj is None or self.object_in_scope(request, obj)

    def has_add_permission(self, request):
        return can_write(request.user)

    def has_change_permission(self, request, obj=None):
        if not can_write(request.user):
            return False
        return obj is None or self.object_in_scope(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self.has_change_permission(request, obj)

    # --- choices ----------------------------------------------------------------------
    def get_field_queryset(self, db, db_field, request):
        queryset = scoped_field_queryset(self.admin_site, db_field, request)
        return queryset if queryset is not None else super().get_field_queryset(db, db_field, request)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        return _with_scope_message(super().formfield_for_foreignkey(db_field, request, **kwargs), db_field)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        return _with_scope_message(super().formfield_for_manytomany(db_field, request, **kwargs), db_field)


def scoped_field_queryset(admin_site, db_field, request):
    """The choices of a relation field: the target admin's scoped queryset, when the target
    model's admin is scoped (the same rows its autocomplete answers with)."""
    target_admin = admin_site._registry.get(db_field.remote_field.model)
    if isinstance(target_admin, RoleScopedAdminMixin):
        queryset = target_admin.scoped_queryset(request)
        ordering = target_admin.get_ordering(request)
        return queryset.order_by(*ordering) if ordering else queryset
    return None


def _with_scope_message(formfield, db_field):
    if formfield is not None and hasattr(formfield, "queryset"):
        message = gettext("所选%(model)s不存在或不在您的管辖范围内。") % {
            "model": db_field.remote_field.model._meta.verbose_name
        }
        formfield.error_messages["invalid_choice"] = message
        formfield.error_messages["invalid_pk_value"] = message
    return formfield


class ScopedInlineMixin:
    """An inline follows its parent admin: what the user may do to the parent, they may do
    to its rows; its relation choices are scoped like the parent's."""

    def _parent_admin(self):
        return self.admin_site._registry[self.parent_model]

    def has_view_permission(self, request, obj=None):
        return self._parent_admin().has_view_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        parent = self._parent_admin()
        return parent.has_change_permission(request, obj) if obj else parent.has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        parent = self._parent_admin()
        return parent.has_change_permission(request, obj) if obj else parent.has_add_permission(request)

    def has_delete_permission(self, request, obj=None):
        return self.has_change_permission(request, obj)

    def get_field_queryset(self, db, db_field, request):
        queryset = scoped_field_queryset(self.admin_site, db_field, request)
        return queryset if queryset is not None else super().get_field_queryset(db, db_field, request)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        return _with_scope_message(super().formfield_for_foreignkey(db_field, request, **kwargs), db_field)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        return _with_scope_message(super().formfield_for_manytomany(db_field, request, **kwargs), db_field)


# ---------------------------------------------------------------------------------------
# Excel in and out


class ScopedImportExportMixin(ImportExportMixin):
    """django-import-export in the admin, scoped: xlsx and csv, the resource gets the user
    (its rows must lie in the user's region), import needs write access, export read access.

    The import always previews first (dry run); a file with a bad row shows every bad row
    and field in Chinese and offers no confirm button. The confirmed import runs again in
    one transaction that rolls back on any bad row.

    Before anything parses it, the upload is bounded (`liaison.importing.limits`: size,
    for xlsx the unpacked size and compression ratio, rows, columns); a file past a limit is
    refused on the import page with a Chinese message, at the preview and again at the
    confirmation.

    A confirmed file of more than `IMPORT_BACKGROUND_ROWS` data rows is imported by a
    Celery worker (`liaison.importing.background`): the confirmation stores it as an
    `ImportJob` and redirects to the job's page (`import/jobs/<id>/`, for its owner and
    superusers), which refreshes itself until the job has ended.
    """

    import_template_name = "admin/liaison/import.html"
    import_job_template_name = "admin/liaison/import_job.html"
    #: seconds between refreshes of a job's page while it is queued or running
    import_job_refresh_seconds = 3

    def get_urls(self):
        app_label, model_name = self.get_model_info()
        jobs = [
            path(
                "import/jobs/<int:job_id>/",
                self.admin_site.admin_view(self.import_job_view),
                name=f"{app_label}_{model_name}_import_job",
            )
        ]
        return jobs + super().get_urls()

    def get_import_context_data(self, **kwargs):
        context = super().get_import_context_data(**kwargs)
        resource_class = self.get_import_resource_classes(None)[0]
        context["import_help"] = [str(line) for line in getattr(resource_class, "import_help", ())]
        context["import_limits"] = ImportLimits.current()
        return context

    def get_import_formats(self):
        return [BoundedXLSX, BoundedCSV]

    def get_import_form_class(self, request):
        return BoundedImportForm

    def write_to_tmp_storage(self, import_file, input_format):
        """The confirmed file is kept as UTF-8 whatever it came in (a GBK csv from Excel on
        Chinese Windows): the confirmation step and a background job read it as UTF-8."""
        if input_format.is_binary():
            return super().write_to_tmp_storage(import_file, input_format)
        data = b"".join(import_file.chunks())
        try:
            data = decode_csv(data).encode("utf-8")
        except ImportRefused:
            pass  # the preview has said so already; nothing can be confirmed
        tmp_storage = self.get_tmp_storage_class()(
            encoding=self.from_encoding, read_mode=input_format.get_read_mode(), **self.get_tmp_storage_class_kwargs()
        )
        tmp_storage.save(data)
        return tmp_storage

    def add_data_read_fail_error_to_form(self, form, e):
        if isinstance(e, UnicodeDecodeError):  # a file no encoding reads (decode_csv said so)
            e = unknown_encoding()
        if isinstance(e, ImportRefused):
            form.add_error("import_file", e.messages)
        else:
            super().add_data_read_fail_error_to_form(form, e)

    def process_import(self, request, **kwargs):
        try:
            return super().process_import(request, **kwargs)
        except ImportRefused as refused:
            # Only a file that was never previewed gets here (the preview refuses first).
            messages.error(request, gettext("导入未执行，数据未作任何改动：%(errors)s") % {"errors": "；".join(refused.messages)})
            app_label, model_name = self.get_model_info()
            return HttpResponseRedirect(
                reverse(f"admin:{app_label}_{model_name}_import", current_app=self.admin_site.name)
            )

    def process_dataset(self, dataset, form, request, **kwargs):
        if len(dataset) > background_rows():
            return self.enqueue_import(dataset, form, request)
        return super().process_dataset(dataset, form, request, **kwargs)

    def enqueue_import(self, dataset, form, request) -> ImportJob:
        """The confirmed file, read again from the library's temporary storage (the request
        removes it afterwards), handed to a worker as a job."""
        input_format = self.get_import_formats()[int(form.cleaned_data["format"])](encoding=self.from_encoding)
        tmp_storage = self.get_tmp_storage_class()(
            name=form.cleaned_data["import_file_name"],
            encoding=None if input_format.is_binary() else self.from_encoding,
            read_mode=input_format.get_read_mode(),
            **self.get_tmp_storage_class_kwargs(),
        )
        data = tmp_storage.read()
        return import_job_enqueue(
            user=request.user,
            model=self.model,
            data=data.encode("utf-8") if isinstance(data, str) else data,
            file_format=input_format.get_extension(),
            original_name=form.cleaned_data.get("original_file_name") or "",
            rows=len(dataset),
            resource_index=self.get_resource_index(form),
        )

    def import_job_view(self, request, job_id):
        """A background import's page: its owner's (or a superuser's), with import access
        to this admin; anyone else gets a 404."""
        job = ImportJob.objects.filter(pk=job_id, model=self.model._meta.label).first()
        if (
            job is None
            or not self.has_import_permission(request)
            or not (request.user.is_superuser or job.user_id == request.user.pk)
        ):
            raise Http404
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("导入任务 #%(id)d") % {"id": job.pk},
            "opts": self.model._meta,
            "job": job,
            "refresh_seconds": self.import_job_refresh_seconds if job.pending else None,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, [self.import_job_template_name], context)

    def get_export_formats(self):
        return [XLSX, CSV]

    def get_import_resource_kwargs(self, request, **kwargs):
        return {"user": request.user}

    def get_export_resource_kwargs(self, request, **kwargs):
        return {"user": request.user}

    def get_import_data_kwargs(self, **kwargs):
        kwargs = super().get_import_data_kwargs(**kwargs)
        kwargs.pop("request", None)
        kwargs["rollback_on_validation_errors"] = True
        return kwargs

    def has_import_permission(self, request):
        return self.has_add_permission(request) and self.has_change_permission(request)

    def has_export_permission(self, request):
        return self.has_view_permission(request)

    def process_result(self, result, request):
        if isinstance(result, ImportJob):
            messages.info(
                request,
                gettext("文件共 %(rows)d 行数据，已转入后台导入，本页会自动刷新显示结果；导入完成前可以离开本页。")
                % {"rows": result.rows},
            )
            app_label, model_name = self.get_model_info()
            return HttpResponseRedirect(
                reverse(f"admin:{app_label}_{model_name}_import_job", args=[result.pk], current_app=self.admin_site.name)
            )
        if result.has_errors() or result.has_validation_errors():
            # The data changed between the preview and the confirmation: nothing was saved.
            from liaison.importing.errors import error_lines

            messages.error(
                request,
                gettext("导入未执行，数据未作任何改动：%(errors)s") % {"errors": "；".join(error_lines(result)[:20])},
            )
            app_label, model_name = self.get_model_info()
            return HttpResponseRedirect(
                reverse(f"admin:{app_label}_{model_name}_import", current_app=self.admin_site.name)
            )
        return super().process_result(result, request)

    def add_success_message(self, result, request):
        totals = result.totals
        messages.success(
            request,
            gettext("导入完成：新增 %(new)d 条，更新 %(update)d 条，未变 %(skip)d 条（%(model)s）。")
            % {
                "new": totals["new"],
                "update": totals["update"],
                "skip": totals["skip"],
                "model": self.model._meta.verbose_name_plural,
            },
        )


class BoundedImportForm(ImportForm):
    """The import form, refusing a file over the size limit before it is read (the library
    would next copy it into memory and parse it)."""

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        ImportLimits.current().check_size(upload.size)
        return upload


# ---------------------------------------------------------------------------------------
# list filters


class ExistsFilter(admin.SimpleListFilter):
    """A filter on a related row's value without a join: `Exists(related.filter(...))`, so
    the changelist never repeats an object and needs no DISTINCT."""

    related_model = None
    related_fk = ""
    related_field = ""

    def queryset(self, request, queryset):
        value = self.value()
        if not value:
            return queryset
        related = self.related_model._default_manager.filter(
            **{self.related_fk: OuterRef("pk"), self.related_field: value}
        )
        return queryset.filter(Exists(related))


def adopt(obj, saved) -> None:
    """Make the admin's unsaved `obj` the row a service created, so the admin's next steps
    (many-to-many fields, inlines, the log entry, the redirect) work on it."""
    obj.pk = saved.pk
    obj._state.adding = False
    obj._state.db = saved._state.db
    for name in ("created_at", "updated_at"):
        if hasattr(saved, name):
            setattr(obj, name, getattr(saved, name))
