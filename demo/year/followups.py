"""回头看 (follow-up visits) and 销号: the result-B answers put a follow-up on the list (the
services did, at the reply). Staff have been to about half of those whose day has passed —
solved — and signed off (销号) the first item whose visits were all done; the rest are overdue,
and those of the latest answers are still due."""

from __future__ import annotations

import datetime

from demo.clock import local_moment
from suggestions.models import FollowUp, Status
from suggestions.services import closing

NOTES = ("回访群众，问题已解决，群众表示满意。", "实地查看，整改措施已落实到位。")


def build_follow_ups(year) -> None:
    past = list(FollowUp.objects.filter(done_at__isnull=True, review_on__lt=year.today - datetime.timedelta(days=3))
                .select_related("suggestion").order_by("review_on", "pk"))
    done, signed_off = 0, 0
    for index, follow_up in enumerate(past):
        suggestion = follow_up.suggestion
        if index % 2 or suggestion.status not in (Status.REPLIED, Status.CLOSED):
            continue  # overdue: nobody has been yet
        staff = year.staff_for(suggestion.handling_region_id)
        year.clock.at(local_moment(follow_up.review_on + datetime.timedelta(days=1), 15))
        closing.follow_up_complete(follow_up=follow_up, by=staff, note=NOTES[index % len(NOTES)], solved=True)
        done += 1
        suggestion.refresh_from_db()
        if not signed_off and suggestion.status == Status.CLOSED \
                and not suggestion.follow_ups.filter(done_at__isnull=True).exists():
            year.clock.at(local_moment(follow_up.review_on + datetime.timedelta(days=2), 10))
            closing.suggestion_sign_off(suggestion=suggestion, by=staff, note="回头看已完成，问题解决，予以销号。")
            signed_off += 1
    year.counts["follow_ups"] = {"done": done, "signed_off": signed_off,
                                 "open": FollowUp.objects.filter(done_at__isnull=True).count()}
