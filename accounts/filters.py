"""Filters of the account list (`users/`, the admin's account list)."""

import django_filters
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from liaison.filters import BooleanFilter, RegionSubtreeFilter, SearchFilter
from liaison.models import Role


class UserFilter(django_filters.FilterSet):
    """Accounts: by role, region subtree (of the account's scope), active flag, or text."""

    role = django_filters.ChoiceFilter(choices=Role.choices, label=_("角色"))
    region = RegionSubtreeFilter(label=_("管辖区划代码：本区划及其全部下级"))
    is_active = BooleanFilter(label=_("是否启用"))
    q = SearchFilter(search_fields=("username", "name"), label=_("关键词：用户名、姓名"))

    class Meta:
        model = get_user_model()
        fields = ["role", "region", "is_active", "q"]
