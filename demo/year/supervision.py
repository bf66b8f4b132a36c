"""The supervision board (督办) and the deadlines: 打捆督办 bundles of open items alike — the
open key-supervised session suggestions under the leader (when some are still open), and open
opinions of one category handled by the city (一般督办) — and the units' 延期 requests on open assignments: one
approved, one refused, one waiting for staff."""

from __future__ import annotations

import datetime

from demo.clock import local_moment
from demo.network import COUNTY_CODE
from suggestions.models import (
    Assignment,
    AssignmentRole,
    AssignmentStatus,
    Status,
    Suggestion,
    Supervision,
)
from suggestions.services import extensions, oversight

OPEN = (Status.ASSIGNED, Status.HANDLING)


def build_bundles(year) -> None:
    leader, staff = year.users.get("leader"), year.users["staff"]
    if leader is None:
        return
    moment = local_moment(year.today - datetime.timedelta(days=1), 11)
    made = 0
    key = list(Suggestion.objects.filter(supervision=Supervision.KEY, status__in=OPEN, bundle__isnull=True,
                                         updated_at__lt=moment).order_by("pk")[:4])
    if len(key) >= 2:
        year.clock.at(moment)
        oversight.bundle_create(by=leader, title="大会重点建议打捆督办", suggestions=key, level=Supervision.KEY,
                                leader=leader, note="主任会议确定，领导领衔督办，定期听取办理进展。")
        made += 1
    # Open opinions of a category handled by the city's staff, not yet supervised (two bundles).
    for category in year.categories:
        alike = list(Suggestion.objects.filter(
            category=category, status=Status.HANDLING, supervision=Supervision.NONE, bundle__isnull=True,
            escalated_to__isnull=True, updated_at__lt=moment,
        ).exclude(region__code__startswith=COUNTY_CODE).order_by("pk")[:3])
        if len(alike) >= 2:
            year.clock.at(moment)
            oversight.bundle_create(by=staff, title=f"{category.name}类群众意见集中督办", suggestions=alike,
                                    level=Supervision.NORMAL, note="同类问题集中反映，打捆督办。")
            made += 1
            if made >= 2:
                break
    year.counts["bundles"] = made


def build_extensions(year) -> None:
    """延期: asked two days ago by the unit's officer, decided by staff yesterday."""
    asked_at = local_moment(year.today - datetime.timedelta(days=2), 10)
    candidates = list(Assignment.objects.filter(
        role=AssignmentRole.LEAD, status=AssignmentStatus.SIGNED, suggestion__status=Status.HANDLING,
        extension_requested_at__isnull=True, deadline__gt=year.today + datetime.timedelta(days=3),
        updated_at__lt=asked_at, suggestion__updated_at__lt=asked_at,
    ).select_related("suggestion", "unit").order_by("deadline", "pk")[:3])
    for index, assignment in enumerate(candidates):
        officer = year.officer_of(assignment.unit)
        year.clock.at(asked_at)
        extensions.assignment_request_extension(
            assignment=assignment, by=officer, deadline=assignment.deadline + datetime.timedelta(days=30),
            reason="需协调多个部门并纳入下年度计划，申请延期办理。")
        if index == 2:
            continue  # waits for staff
        year.clock.at(local_moment(year.today - datetime.timedelta(days=1), 15))
        staff = year.staff_for(assignment.suggestion.handling_region_id)
        extensions.assignment_decide_extension(
            assignment=assignment, by=staff, approve=index == 0,
            note="" if index == 0 else "该事项不涉及跨部门协调，请按原期限办结。")
    year.counts["extensions"] = len(candidates)
