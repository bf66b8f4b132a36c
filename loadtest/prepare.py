"""Seed a throwaway database for the load test and print what locust needs (JSON): the
regions of 长治市 (shipped), one city staff account, one handling unit with its officer, their
new API tokens (as `issue_token` prints them), and the townships voters write about."""

from __future__ import annotations

import json
import os

import django


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from accounts.services import token_issue
    from liaison.models import Role, User
    from stations.models import Region
    from stations.services import SHIPPED_REGIONS_DIR, regions_load
    from suggestions.models import Category, Unit

    regions_load(directory=SHIPPED_REGIONS_DIR)
    city = Region.objects.get(code="1404")
    staff, _ = User.objects.get_or_create(
        username="load_staff", defaults={"name": "压测工作人员", "role": Role.STAFF, "region": city, "is_staff": True,
                                         "email": "load_staff@example.gov.cn"})
    officer, _ = User.objects.get_or_create(
        username="load_officer", defaults={"name": "压测联络员", "role": Role.UNIT_OFFICER,
                                           "email": "load_officer@example.gov.cn", "phone": "13900000001"})
    unit, _ = Unit.objects.get_or_create(name="长治市住房和城乡建设局", region=city, defaults={"kind": "department"})
    unit.officers.add(officer)
    Category.objects.get_or_create(name="城乡建设")
    townships = list(Region.objects.filter(code__startswith="1404", level="township").values_list("code", flat=True))
    print(json.dumps({
        "staff_token": token_issue(user=staff, name="压测").key,
        "officer_token": token_issue(user=officer, name="压测").key,
        "unit": unit.pk,
        "townships": townships,
    }))


if __name__ == "__main__":
    main()
