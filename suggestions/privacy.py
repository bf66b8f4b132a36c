"""Who sees a voter's name and phone on a suggestion (DOMAIN.md, "Personal data").

In full:
- staff and leaders whose region contains the suggestion's, and the account that entered it
  (`liaison.privacy.may_see_personal_data`);
- the deputies who received it (接待代表) — they met the voter and feed back to them: for an
  opinion, every deputy on it (written to through their code, or named as receiving it); for a
  deputy's suggestion, its lead (the voter raised it with them, not with the co-signers); and
  the deputies of the reception it was raised at;
- the lead unit's officers, only when the voter agreed to be contacted and only while the
  unit holds the item open (pending or signed, the suggestion assigned or being handled);
  each such viewing is logged.

Nobody else — co-units, other deputies, leaders outside the region, the public — sees more than
`王**` and `139****1111`. Every serializer, page, book and export asks `submitter_for` (or the
pure predicate `may_see_submitter`) once per suggestion; the masking itself is
`liaison.privacy.personal_data`.
"""

from __future__ import annotations

import logging

from deputies.models import Reception
from liaison.models import Role
from liaison.privacy import PersonalData, may_see_personal_data, personal_data
from suggestions.models import (
    OPEN_ASSIGNMENT_STATUSES,
    AssignmentRole,
    DeputyRole,
    Status,
    Suggestion,
    SuggestionKind,
)
from suggestions.workflow import user_deputy_id

logger = logging.getLogger("liaison.privacy")

# "While the item is being handled": assigned to the unit or signed by it, not yet answered.
HANDLING_STATUSES = (Status.ASSIGNED, Status.HANDLING)

STAFF, RECEIVING_DEPUTY, LEAD_OFFICER = "staff", "receiving_deputy", "lead_officer"


def _received_it(user, suggestion: Suggestion) -> bool:
    deputy_id = user_deputy_id(user)
    if deputy_id is None:
        return False
    links = suggestion.deputy_links.all()  # prefetched by the lists and the detail reads
    if suggestion.kind == SuggestionKind.OPINION:
        receivers = {link.deputy_id for link in links}
    else:
        receivers = {link.deputy_id for link in links if link.role == DeputyRole.LEAD}
    if deputy_id in receivers:
        return True
    return suggestion.reception_id is not None and Reception.deputies.through.objects.filter(
        reception_id=suggestion.reception_id, deputy_id=deputy_id
    ).exists()


def _handles_it(user, suggestion: Suggestion) -> bool:
    if user.role != Role.UNIT_OFFICER or suggestion.status not in HANDLING_STATUSES:
        return False
    # "办理单位可以联系我", ticked on the opinion form or recorded by whoever took the opinion.
    if not suggestion.contact_consent:
        return False
    lead = next(
        (
            a for a in suggestion.assignments.all()
            if a.role == AssignmentRole.LEAD and a.status in OPEN_ASSIGNMENT_STATUSES
        ),
        None,
    )
    return lead is not None and lead.unit.officers.filter(pk=user.pk).exists()


def _access(user, suggestion: Suggestion) -> str | None:
    """Why `user` may see the submitter in full (STAFF, RECEIVING_DEPUTY, LEAD_OFFICER), or None."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    if may_see_personal_data(user, region_code=suggestion.region_id, owner_id=suggestion.submitted_by_id):
        return STAFF
    if _received_it(user, suggestion):
        return RECEIVING_DEPUTY
    if _handles_it(user, suggestion):
        return LEAD_OFFICER
    return None


def may_see_submitter(user, suggestion: Suggestion) -> bool:
    """Whether `user` may see this suggestion's submitter's name and phone in full (no side effect)."""
    return _access(user, suggestion) is not None


def submitter_for(user, suggestion: Suggestion) -> PersonalData:
    """The submitter's name and phone as `user` (None: the public) may see them; a lead unit
    officer's viewing is logged."""
    access = _access(user, suggestion) if user is not None else None
    if access == LEAD_OFFICER:
        logger.info(
            "personal data of suggestion %s shown to unit officer %s (user id %s)",
            suggestion.pk, user.get_username(), user.pk,
        )
    return personal_data(suggestion.submitter_name, suggestion.submitter_phone, full=access is not None)
