"""The reception records (接待记录) tell what the year holds: each recorded reception's summary
says how many opinions and suggestions were raised there and how many were answered on the
spot, counted from the suggestions linked to it — not a number of its own (the city's receptions
then claimed 20,237 issues while the year held none)."""

from __future__ import annotations

from django.db.models import Count, Q

from deputies.models import Reception, ReceptionStatus
from suggestions.models import Route


def build_reception_summaries(year) -> None:
    recorded = (
        Reception.objects.filter(status=ReceptionStatus.RECORDED)
        .annotate(raised=Count("suggestions"), on_spot=Count("suggestions", filter=Q(suggestions__route=Route.ON_SPOT)))
        .order_by("pk")
    )
    changed = []
    for reception in recorded:
        head = reception.summary.split("接待群众", 1)[0]  # "N名代表…，"
        visitors = f"接待群众{reception.visitor_count}人次，"
        if reception.raised:
            rest = (f"收集意见建议{reception.raised}条，现场答复{reception.on_spot}条，"
                    f"其余{reception.raised - reception.on_spot}条已登记并按程序交办。")
        else:
            rest = "群众咨询均已当场解答，未形成需交办的意见建议。"
        reception.summary = head + visitors + rest
        changed.append(reception)
    Reception.objects.bulk_update(changed, ["summary"], batch_size=500)
    year.counts["receptions_with_opinions"] = sum(1 for r in changed if r.raised)
