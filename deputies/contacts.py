"""两个联系: how often standing-committee members contacted each deputy and each deputy contacted
voters in a period, and who had no contact (the frequency report)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q

from deputies.attendance import serving_deputies
from deputies.models import ContactKind, ContactRecord, Deputy, Reception, ReceptionStatus
from liaison.regions import within


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
