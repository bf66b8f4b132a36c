"""督: supervision (督办), bundled supervision (打捆督办) and urging (催办)."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from liaison.models import Role, User
from liaison.regions import CODE_LENGTHS
from liaison.scoping import in_scope
from liaison.text import clean_text
from suggestions import workflow
from suggestions.models import (
    OPEN_ASSIGNMENT_STATUSES,
    OPEN_SUGGESTION_STATUSES,
    Action,
    Assignment,
    NotificationKind,
    Suggestion,
    Supervision,
    SupervisionBundle,
)
from suggestions.notify import notify
from suggestions.selectors import unit_officers

from .events import _link, _lock, _required_text, event_record


# --- 督: supervise ---------------------------------------------------------------------------
def _check_leader(leader: User | None, suggestion_region: str) -> None:
    if leader is None:
        return
    if not leader.is_active or leader.role != Role.LEADER:
        raise ValidationError({"leader": _("领衔督办人须为领导账号。")})
    if not (leader.is_superuser or in_scope(leader, suggestion_region)):
        raise ValidationError({"leader": _("领衔督办人须为本区划或上级的领导。")})


def _open_unit_ids(suggestion: Suggestion) -> list[int]:
    return list(
        Assignment.objects.filter(suggestion=suggestion, status__in=OPEN_ASSIGNMENT_STATUSES).values_list("unit_id", flat=True)
    )


def _apply_supervision(suggestion: Suggestion, by: User, level: str, leader: User | None) -> User | None:
    if level not in (Supervision.NORMAL, Supervision.KEY):
        raise ValidationError({"level": _("督办级别无效。")})
    if leader is None and level == Supervision.KEY:
        if by.role == Role.LEADER:
            leader = by
        elif suggestion.supervision_leader_id:
            leader = suggestion.supervision_leader
        else:
            raise ValidationError({"leader": _("重点督办须指定领衔督办人。")})
    _check_leader(leader, suggestion.handling_region_id)
    suggestion.supervision = level
    suggestion.supervision_leader = leader
    return leader


@transaction.atomic
def suggestion_supervise(
    *, suggestion: Suggestion, by: User, level: str, leader: User | None = None, note: str = ""
) -> Suggestion:
    """督办: put the suggestion under ordinary or key supervision (重点督办, led by a leader)."""
    note = clean_text(note)
    suggestion = _lock(suggestion)
    workflow.require(suggestion, Action.SUPERVISE, by)
    leader = _apply_supervision(suggestion, by, level, leader)
    suggestion.save(update_fields=["supervision", "supervision_leader", "updated_at"])
    event_record(suggestion=suggestion, by=by, action=Action.SUPERVISE, from_status=suggestion.status, note=note,
                 data={"level": level, "leader": leader.display_name if leader else ""})
    notify(
        recipients=[*( [leader] if leader is not None and leader.pk != by.pk else []), *unit_officers(_open_unit_ids(suggestion))],
        kind=NotificationKind.SUPERVISED,
        title=_("%(level)s：%(title)s") % {"level": Supervision(level).label, "title": suggestion.title[:80]},
        body=_("%(link)s 已列入%(level)s。%(note)s") % {"link": _link(suggestion), "level": Supervision(level).label, "note": note},
        suggestion=suggestion,
    )
    return suggestion


@transaction.atomic
def bundle_create(
    *,
    by: User,
    title: str,
    suggestions: Sequence[Suggestion],
    level: str = Supervision.KEY,
    leader: User | None = None,
    note: str = "",
) -> SupervisionBundle:
    """打捆督办: supervise similar suggestions together, usually under one leader."""
    title = _required_text(title, "title", _("请填写督办主题。"))
    note = clean_text(note)
    ids = sorted({s.pk for s in suggestions})
    if len(ids) < 2:
        raise ValidationError({"suggestions": _("打捆督办至少需要两件意见建议。")})
    locked = list(Suggestion.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
    for suggestion in locked:
        workflow.require(suggestion, Action.BUNDLE, by)
    codes = [s.handling_region_id for s in locked]
    common = codes[0]
    for code in codes[1:]:
        while not code.startswith(common):
            common = common[:-1]
    valid = [n for n in reversed(CODE_LENGTHS) if n <= len(common)]
    region_code = common[: valid[0]] if valid else (by.region_id or codes[0][:2])
    if leader is None and level == Supervision.KEY and by.role == Role.LEADER:
        leader = by
    if level == Supervision.KEY and leader is None:
        raise ValidationError({"leader": _("重点督办须指定领衔督办人。")})
    _check_leader(leader, region_code)
    bundle = SupervisionBundle.objects.create(
        title=title, level=level, leader=leader, region_id=region_code, note=note, created_by=by
    )
    for suggestion in locked:
        _apply_supervision(suggestion, by, level, leader)
        suggestion.bundle = bundle
        suggestion.save(update_fields=["supervision", "supervision_leader", "bundle", "updated_at"])
        event_record(suggestion=suggestion, by=by, action=Action.BUNDLE, from_status=suggestion.status, note=note,
                     data={"bundle": title, "level": level})
        notify(
            recipients=unit_officers(_open_unit_ids(suggestion)),
            kind=NotificationKind.SUPERVISED,
            title=_("打捆督办：%(title)s") % {"title": title[:80]},
            body=_("%(link)s 已列入打捆督办“%(bundle)s”。") % {"link": _link(suggestion), "bundle": title},
            suggestion=suggestion,
        )
    if leader is not None and leader.pk != by.pk:
        notify(recipients=[leader], kind=NotificationKind.SUPERVISED,
               title=_("请领衔督办：%(title)s") % {"title": title[:80]},
               body=_("共 %(n)s 件意见建议。") % {"n": len(locked)})
    return bundle


def _urge(suggestion: Suggestion, by: User | None, note: str, data: dict | None = None) -> int:
    """Record one 催办 on a locked suggestion and tell its open units; returns the notices written."""
    unit_ids = _open_unit_ids(suggestion)
    event_record(suggestion=suggestion, by=by, action=Action.URGE, from_status=suggestion.status, note=note,
                 data={"units": len(unit_ids), **(data or {})})
    created = notify(
        recipients=unit_officers(unit_ids),
        kind=NotificationKind.URGED,
        title=_("催办：%(title)s") % {"title": suggestion.title[:80]},
        body=_("请抓紧办理 %(link)s。%(note)s") % {"link": _link(suggestion), "note": note},
        suggestion=suggestion,
    )
    return len(created)


@transaction.atomic
def suggestion_urge(*, suggestion: Suggestion, by: User, note: str = "") -> Suggestion:
    """催办: press the units still working on it."""
    note = clean_text(note)
    suggestion = _lock(suggestion)
    workflow.require(suggestion, Action.URGE, by)
    _urge(suggestion, by, note)
    return suggestion


@transaction.atomic
def bundle_urge(*, bundle: SupervisionBundle, by: User, note: str = "") -> list[Suggestion]:
    """打捆催办: urge every open item of the bundle (assigned or being handled) in one action.

    Each item is checked as a single 催办 would be (`workflow.require`); one the person may not
    urge refuses the whole action, and nothing is written. Answered and closed items are left
    alone; a bundle with no open item is a state conflict."""
    note = clean_text(note)
    locked = list(
        Suggestion.objects.select_for_update()
        .filter(bundle=bundle, status__in=OPEN_SUGGESTION_STATUSES)
        .order_by("pk")
    )
    if not locked:
        raise workflow.InvalidTransition(_("该打捆督办的事项均已答复或办结，无需催办。"))
    for suggestion in locked:
        workflow.require(suggestion, Action.URGE, by)
    for suggestion in locked:
        _urge(suggestion, by, note, data={"bundle": bundle.title})
    return locked
