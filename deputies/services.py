"""Writes for deputies (代表), their mandates and station groups, and receptions (接待).

Whether the caller may make a change (scope, role) is checked where the input arrives; these
functions keep the records' own invariants, atomically, and store text less its control
characters (`liaison.text`).
"""

from collections.abc import Iterable, Mapping, Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from PIL import Image

from deputies.models import Deputy, Mandate, Reception, StationMembership
from liaison.text import clean_strings

DEPUTY_FIELDS = frozenset(
    {
        "name", "gender", "ethnicity", "party", "birth_date", "occupation", "employer", "phone",
        "expertise", "is_leading_official", "region", "photo",
    }
)
MANDATE_FIELDS = ("level", "congress", "district", "started_on", "ended_on")
RECEPTION_FIELDS = frozenset(
    {"station", "date", "starts_at", "ends_at", "mode", "status", "topic", "visitor_count", "summary"}
)


def _check_fields(fields: Mapping, allowed: frozenset, operation: str) -> None:
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"{operation}() got unknown fields: {sorted(unknown)}")
    if fields.get("photo"):
        _check_photo(fields["photo"])


def _check_photo(photo) -> None:
    """A photo is judged by its bytes, not its name: Pillow must read it as JPEG, PNG or WebP."""
    if getattr(photo, "_committed", False):
        return  # the stored file, unchanged
    try:
        photo.seek(0)
        with Image.open(photo) as image:
            image_format = image.format
            image.verify()
    except Exception as error:  # Pillow raises many kinds for a broken or foreign file
        raise ValidationError({"photo": _("照片须为 JPEG、PNG 或 WebP 图片。")}) from error
    finally:
        photo.seek(0)
    if image_format not in {"JPEG", "PNG", "WEBP"}:
        raise ValidationError({"photo": _("照片须为 JPEG、PNG 或 WebP 图片。")})


def _mandates_replace(*, deputy: Deputy, mandates: Sequence[Mapping]) -> None:
    """Make the deputy's mandates exactly `mandates`: an item with an `id` of one of the
    deputy's mandates changes it, an item without creates one, a mandate not listed goes."""
    existing = {m.pk: m for m in Mandate.objects.filter(deputy=deputy)}
    keep: set[int] = set()
    to_save: list[Mandate] = []
    for index, item in enumerate(mandates):
        mandate_id = item.get("id")
        if mandate_id is not None:
            mandate = existing.get(mandate_id)
            if mandate is None:
                raise ValidationError({"mandates": [_("第 %(n)d 项：该职务不属于此代表。") % {"n": index + 1}]})
            keep.add(mandate_id)
        else:
            mandate = Mandate(deputy=deputy)
        item = clean_strings(item)
        for field in MANDATE_FIELDS:
            if field in item:
                setattr(mandate, field, item[field])
        to_save.append(mandate)
    Mandate.objects.filter(deputy=deputy).exclude(pk__in=keep).delete()
    for mandate in to_save:
        mandate.full_clean()
        mandate.save()


def _stations_replace(*, deputy: Deputy, stations: Iterable) -> None:
    """编组进站: group the deputy into exactly `stations`, keeping the role they already have
    where they stay."""
    wanted = {station.pk for station in stations}
    StationMembership.objects.filter(deputy=deputy).exclude(station_id__in=wanted).delete()
    present = set(StationMembership.objects.filter(deputy=deputy).values_list("station_id", flat=True))
    StationMembership.objects.bulk_create(
        [StationMembership(deputy=deputy, station_id=pk) for pk in sorted(wanted - present)]
    )


@transaction.atomic
def deputy_create(*, name: str, region, mandates: Sequence[Mapping] = (), stations: Iterable = (), **fields) -> Deputy:
    """登记代表: a deputy with their mandates, grouped into `stations`."""
    _check_fields(fields, DEPUTY_FIELDS, "deputy_create")
    deputy = Deputy(**clean_strings({"name": name, "region": region, **fields}))
    deputy.full_clean()
    deputy.save()
    _mandates_replace(deputy=deputy, mandates=mandates)
    _stations_replace(deputy=deputy, stations=stations)
    return deputy


@transaction.atomic
def deputy_update(*, deputy: Deputy, mandates: Sequence[Mapping] | None = None, stations: Iterable | None = None, **fields) -> Deputy:
    """修改代表信息: the given fields; `mandates` and `stations`, when given, replace the
    current ones (see `_mandates_replace`, `_stations_replace`)."""
    _check_fields(fields, DEPUTY_FIELDS, "deputy_update")
    deputy = Deputy.objects.select_for_update().get(pk=deputy.pk)
    for field, value in clean_strings(fields).items():
        setattr(deputy, field, value)
    if fields:
        deputy.full_clean()
        deputy.save(update_fields=[*fields, "updated_at"])
    if mandates is not None:
        _mandates_replace(deputy=deputy, mandates=mandates)
    if stations is not None:
        _stations_replace(deputy=deputy, stations=stations)
    return deputy


@transaction.atomic
def reception_create(*, station, date, by=None, deputies: Iterable = (), **fields) -> Reception:
    """排期或记录一次接待: a reception at `station` on `date`, with the deputies present;
    `by` is who recorded it."""
    _check_fields(fields, RECEPTION_FIELDS - {"station", "date"}, "reception_create")
    reception = Reception(station=station, date=date, recorded_by=by, **clean_strings(fields))
    reception.full_clean()
    reception.save()
    reception.deputies.set(list(deputies))
    return reception


@transaction.atomic
def reception_update(*, reception: Reception, deputies: Iterable | None = None, **fields) -> Reception:
    """修改接待记录: the given fields; `deputies`, when given, replaces those present."""
    _check_fields(fields, RECEPTION_FIELDS, "reception_update")
    reception = Reception.objects.select_for_update().get(pk=reception.pk)
    for field, value in clean_strings(fields).items():
        setattr(reception, field, value)
    if fields:
        reception.full_clean()
        reception.save(update_fields=[*fields, "updated_at"])
    if deputies is not None:
        reception.deputies.set(list(deputies))
    return reception
