"""The year's ground: the categories (类别) and one liaison officer (联络员) for every handling
unit, so every assignment has someone to sign and answer it."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from deputies.models import Deputy, Gender
from liaison.models import Role
from suggestions.models import Category, Unit

from .catalogue import CATEGORIES


def build_categories(year) -> None:
    existing = set(Category.objects.values_list("name", flat=True))
    Category.objects.bulk_create(
        Category(name=name, order=index) for index, (name, *_rest) in enumerate(CATEGORIES, start=1)
        if name not in existing
    )
    by_name = {c.name: c for c in Category.objects.filter(name__in=[c[0] for c in CATEGORIES])}
    year.categories = [by_name[name] for name, *_rest in CATEGORIES]
    year.units = {u.name: u for u in Unit.objects.all()}
    year.category_unit = {by_name[name]: year.units.get(unit) for name, unit, _issues in CATEGORIES}
    year.category_issues = {by_name[name]: issues for name, _unit, issues in CATEGORIES}


def build_officers(year) -> None:
    """Units without an officer get one (no password: these are not demo logins)."""
    User = get_user_model()
    units = list(Unit.objects.order_by("pk").prefetch_related("officers"))
    unusable = make_password(None)
    new = []
    for unit in units:
        if unit.officers.exists():
            continue
        user = User(
            username=f"unit{unit.pk:03d}", password=unusable, role=Role.UNIT_OFFICER, region_id=unit.region_id,
            name=year.city.person_name(year.city.pick({Gender.MALE: 5, Gender.FEMALE: 5})),
            phone=year.city.mobile(),
        )
        new.append((unit, user))
    User.objects.bulk_create([u for _unit, u in new])
    Unit.officers.through.objects.bulk_create(
        Unit.officers.through(unit_id=unit.pk, user_id=user.pk) for unit, user in new
    )
    for unit in units:
        year.officers[unit.pk] = User.objects.filter(units=unit).order_by("pk").first()
    _deputy_accounts(year, unusable)


def _deputy_accounts(year, unusable: str) -> None:
    """Every deputy has an account (no password: not demo logins), so the receiving deputy
    settles an opinion on the spot (代表即办) and answers co-sign requests in their own name."""
    User = get_user_model()
    people = [p for p in year.city.people if p.deputy.user_id is None]
    users = [User(username=f"deputy{p.deputy.pk:05d}", password=unusable, role=Role.DEPUTY,
                  region_id=p.home.pk, name=p.deputy.name,
                  phone=p.deputy.phone or "") for p in people]
    User.objects.bulk_create(users, batch_size=1000)
    for person, user in zip(people, users, strict=True):
        person.deputy.user_id = user.pk
    Deputy.objects.bulk_update([p.deputy for p in people], ["user"], batch_size=1000)
