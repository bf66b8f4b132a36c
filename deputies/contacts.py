"""两个联系: recording a contact (`contact_record`), and how often standing-committee members contacted each deputy and each deputy contacted
voters in a period, and who had no contact (the frequency report)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from deputies.activities import NotPermitted
from deputies.attendance import serving_deputies
from deputies.models import (
    ContactKind,
    ContactMode,
    ContactRecord,
    Deputy,
    Reception,
    ReceptionStatus,
)
from liaison.models import Role
from liaison.regions import within
from liaison.scoping import in_scope
from liaison.text import clean_text


def quarter_bounds(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    first_month = 3 * ((day.month - 1) // 3) + 1
    start = datetime.date(day.year, first_month, 1)
    end = (datetime.date(day.year + 1, 1, 1) if first_month == 10 else datetime.date(day.year, first_month + 3, 1))
    return start, end - datetime.timedelta(days=1)


@dataclass
class ContactFrequency:
    deputy: Deputy
    by_committee: int  # contacts by standing-committee members
    with_voters: int  # the deputy's recorded contacts with voters
    receptions: int  # receptions attended (also contact with voters)

    @property
    def contacted_voters(self) -> int:
        return self.with_voters + self.receptions


def contact_frequency(*, region: str, start: datetime.date, end: datetime.date) -> list[ContactFrequency]:
    """Per serving deputy of the region, the contacts of each kind in [start, end] (three queries)."""
    deputies = serving_deputies(end).order_by("region_id", "name", "id")
    if region:
        deputies = deputies.filter(within(region))
    ids = deputies.values("pk")
    rows = (
        ContactRecord.objects.filter(deputy_id__in=ids, date__gte=start, date__lte=end)
        .values("deputy_id")
        .annotate(committee=Count("id", filter=Q(kind=ContactKind.COMMITTEE_DEPUTY)),
                  voters=Count("id", filter=Q(kind=ContactKind.DEPUTY_VOTERS)))
    )
    contacts = {r["deputy_id"]: (r["committee"], r["voters"]) for r in rows}
    attended = dict(
        Reception.deputies.through.objects.filter(
            deputy_id__in=ids, reception__status=ReceptionStatus.RECORDED,
            reception__date__gte=start, reception__date__lte=end,
        ).values("deputy_id").annotate(n=Count("reception_id", distinct=True)).values_list("deputy_id", "n")
    )
    return [
        ContactFrequency(d, *contacts.get(d.pk, (0, 0)), attended.get(d.pk, 0))
        for d in deputies.select_related("region")
    ]


# --- writes -------------------------------------------------------------------------------------
@transaction.atomic
def contact_record(
    *, by, date: datetime.date, note: str, mode: str = ContactMode.VISIT, people: int = 0,
    kind: str = ContactKind.DEPUTY_VOTERS, deputy: Deputy | None = None, member_name: str = "",
) -> ContactRecord:
    """记录一次联系: a deputy records their own contact with voters; staff in scope record either
    kind (a standing-committee member's contact with a deputy names the member)."""
    if by.role == Role.DEPUTY and not by.is_superuser:
        own = Deputy.objects.filter(user=by).first()
        if own is None or kind != ContactKind.DEPUTY_VOTERS or (deputy is not None and deputy != own):
            raise NotPermitted(_("代表只能记录本人联系群众的情况。"))
        deputy = own
    elif not (by.is_superuser or (by.role == Role.STAFF and deputy is not None and in_scope(by, deputy.region_id))):
        raise NotPermitted(_("只有本区划的工作人员或代表本人可以记录。"))
    errors = {}
    if kind not in ContactKind.values:
        errors["kind"] = _("联系类型无效。")
    if mode not in ContactMode.values:
        errors["mode"] = _("联系方式无效。")
    if date is None or date > timezone.localdate():
        errors["date"] = _("联系日期不能晚于今天。")
    if kind == ContactKind.COMMITTEE_DEPUTY and not clean_text(member_name):
        errors["member_name"] = _("请填写常委会组成人员姓名。")
    if not clean_text(note):
        errors["note"] = _("请填写联系情况。")
    if people is None or people < 0:
        errors["people"] = _("人数不能为负数。")
    if errors:
        raise ValidationError(errors)
    return ContactRecord.objects.create(
        kind=kind, deputy=deputy, member_name=clean_text(member_name)[:50], region=deputy.region, date=date,
        mode=mode, people=people, note=clean_text(note), recorded_by=by,
    )
