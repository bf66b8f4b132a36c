"""A voter follows an item already being handled instead of filing the same matter again.

Their opinion is still recorded in full (nothing a voter submits is lost) and gets its own
tracking code, and is at once merged (并案) into the item they chose, so the code follows that
item's progress. Only an item the public similar list could show qualifies: accepted by staff,
not yet closed, in the same area as the opinion.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from suggestions.models import Action, Status, Suggestion
from suggestions.similar.search import PUBLIC_STATUSES, area_of

from .events import _set_status, event_record
from .intake import _final_target, suggestion_submit


@transaction.atomic
def opinion_follow(*, follow_code: str, region, **submit) -> Suggestion:
    """Record a voter's opinion (as `suggestion_submit` with `by=None`) and merge it into the
    open item `follow_code` names; ValidationError on `follow` when that item does not qualify."""
    code = (follow_code or "").strip().upper()
    target = Suggestion.objects.select_for_update().filter(code=code).first()
    target = _final_target(target) if target is not None else None
    if (
        target is None
        or target.status not in PUBLIC_STATUSES
        or not target.region_id.startswith(area_of(region.code))
    ):
        raise ValidationError({"follow": _("所选事项不存在、已办结或不在本片区，请直接提交意见。")})
    opinion = suggestion_submit(by=None, region=region, **submit)
    opinion.merged_into = target
    _set_status(opinion, Status.MERGED, "merged_into")
    event_record(
        suggestion=opinion, by=None, action=Action.MERGE, from_status=Status.SUBMITTED,
        note=_("群众选择跟进已在办理的同类事项"), data={"into": target.code, "followed_by_voter": True},
    )
    return opinion
