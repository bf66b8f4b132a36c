"""Handling (办): one unit's part of a suggestion (交办) and its meetings with the deputy (三见面)."""

from django.conf import settings
from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stations.models import Region

from .choices import OPEN_ASSIGNMENT_STATUSES, AssignmentRole, AssignmentStatus, ContactKind, Result
from .suggestions import Suggestion
from .units import Unit


class AssignmentQuerySet(models.QuerySet):
    def active(self):
        """Not returned: the parts of the suggestion that units still hold."""
        return self.exclude(status=AssignmentStatus.RETURNED)

    def open(self):
        """Still to be answered: what reminders and overdue tiers are about."""
        return self.filter(status__in=OPEN_ASSIGNMENT_STATUSES)


class Assignment(models.Model):
    """One unit's part of a suggestion (交办): lead unit 主办 or co-unit 协办."""

    suggestion = models.ForeignKey(Suggestion, verbose_name=_("意见建议"), on_delete=models.CASCADE, related_name="assignments")
    unit = models.ForeignKey(Unit, verbose_name=_("承办单位"), on_delete=models.PROTECT, related_name="assignments")
    # The suggestion's region, copied when the assignment is made (a suggestion's region never
    # changes once it exists): staff find their region's assignments on this table's own index
    # instead of through a join to every suggestion of the region (a city's pending ones).
    region = models.ForeignKey(
        Region, verbose_name=_("所属区划"), on_delete=models.PROTECT, related_name="+", editable=False, db_index=False
    )
    role = models.CharField(_("承办方式"), max_length=4, choices=AssignmentRole.choices, default=AssignmentRole.LEAD)
    deadline = models.DateField(_("办理期限"))
    requirements = models.TextField(_("办理要求"), blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=AssignmentStatus.choices, default=AssignmentStatus.PENDING)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("交办人"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    signed_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("签收人"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    returned_at = models.DateTimeField(_("退回时间"), null=True, blank=True)
    return_reason = models.TextField(_("退回理由"), blank=True)
    result = models.CharField(_("办理结果"), max_length=1, choices=Result.choices, blank=True)
    reply = models.TextField(_("答复内容"), blank=True)
    replied_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("答复人"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # 延期: the unit may ask once, before the deadline; staff approve (the deadline moves) or refuse.
    extension_deadline = models.DateField(_("申请延至"), null=True, blank=True)
    # db_default: rows written by raw INSERTs (the bench's bulk writer) need no value for these.
    extension_reason = models.TextField(_("延期理由"), blank=True, db_default="")
    extension_requested_at = models.DateTimeField(_("延期申请时间"), null=True, blank=True)
    extension_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("延期申请人"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    extension_approved = models.BooleanField(_("同意延期"), null=True, blank=True)
    extension_decided_at = models.DateTimeField(_("延期审批时间"), null=True, blank=True)
    extension_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("延期审批人"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    extension_note = models.TextField(_("审批意见"), blank=True, db_default="")
    original_deadline = models.DateField(_("原办理期限"), null=True, blank=True)
    created_at = models.DateTimeField(_("交办时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("交办")
        verbose_name_plural = _("交办")
        ordering = ["suggestion_id", "role", "id"]
        indexes = [
            models.Index(fields=["unit", "status"], name="assignment_unit_status"),
            models.Index(fields=["status", "deadline"], name="assignment_status_deadline"),
            models.Index(fields=["suggestion", "role", "status"], name="assignment_sugg_role_status"),
            # The lists' order (deadline, id): a page of a large scope walks this index and
            # stops after 20 rows instead of sorting every visible assignment.
            models.Index(fields=["deadline", "id"], name="assignment_deadline_id"),
            # The same order within one unit (the officers' inbox) and among the unanswered
            # (status=pending/signed, overdue): open work is recent, so walking every
            # assignment by deadline would pass all the answered ones first.
            models.Index(fields=["unit", "deadline", "id"], name="assignment_unit_deadline"),
            # A region's assignments (staff, leaders) in the lists' order, from the index alone:
            # a county's count and page ids without reading the table.
            models.Index(
                fields=["region", "deadline", "id"], name="assignment_region_deadline",
                opclasses=["varchar_pattern_ops", "date_ops", "int8_ops"],
            ),
            # A region's unanswered ones by status (a city's 3,500 pending among its 79,000).
            models.Index(
                fields=["region", "status", "deadline", "id"], name="assignment_open_region",
                opclasses=["varchar_pattern_ops", "varchar_pattern_ops", "date_ops", "int8_ops"],
                condition=Q(status__in=OPEN_ASSIGNMENT_STATUSES),
            ),
            # The reminder sweep's candidates and the unanswered (status=pending/signed, overdue) in
            # deadline order, without reading the table; with the region, a province's late ones
            # are counted from it (21 ms walking the suggestion index before, 1.2 ms).
            models.Index(
                fields=["deadline", "id"], include=["suggestion", "region"],
                condition=Q(status__in=OPEN_ASSIGNMENT_STATUSES), name="assignment_open_deadline",
            ),
            # What changed since the statistics ledger's cutoff (suggestions/stats/ledger.py).
            models.Index(fields=["updated_at"], name="assignment_updated"),
        ]
        constraints = [
            # A unit holds a suggestion once at a time; after a return it may get it again.
            models.UniqueConstraint(
                fields=["suggestion", "unit"], condition=~Q(status="returned"), name="assignment_unique_active_unit"
            ),
            models.UniqueConstraint(
                fields=["suggestion"], condition=Q(role="lead") & ~Q(status="returned"),
                name="assignment_one_active_lead",
            ),
            models.CheckConstraint(
                condition=~Q(status="replied") | (Q(replied_at__isnull=False) & ~Q(result="")),
                name="assignment_replied_has_result",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.suggestion.code} → {self.unit} ({self.get_role_display()})"

    def save(self, *args, **kwargs):
        if self.region_id is None:
            self.region_id = self.suggestion.region_id
        super().save(*args, **kwargs)


def lead_assignment_of(suggestion=None) -> models.QuerySet:
    """The active (not returned) lead assignment of `suggestion`, or of the outer row's pk."""
    return Assignment.objects.filter(
        suggestion=OuterRef("pk") if suggestion is None else suggestion, role=AssignmentRole.LEAD
    ).exclude(status=AssignmentStatus.RETURNED)


def sync_lead_deadline(*suggestions) -> None:
    """Store the active lead assignment's deadline on `suggestions` (instances or ids) as
    `Suggestion.lead_deadline`, in one set-based UPDATE; instances get the value too.

    Every write that creates a lead assignment, returns one or moves its deadline calls this
    (services, historical import, demo clones); bulk loaders may fill the column themselves."""
    ids = [getattr(s, "pk", s) for s in suggestions]
    if not ids:
        return
    Suggestion.objects.filter(pk__in=ids).update(
        lead_deadline=Subquery(lead_assignment_of().values("deadline")[:1])
    )
    instances = [s for s in suggestions if isinstance(s, Suggestion)]
    if instances:
        stored = dict(Suggestion.objects.filter(pk__in=[s.pk for s in instances]).values_list("pk", "lead_deadline"))
        for suggestion in instances:
            suggestion.lead_deadline = stored.get(suggestion.pk)


class Contact(models.Model):
    assignment = models.ForeignKey(Assignment, verbose_name=_("交办"), on_delete=models.CASCADE, related_name="contacts")
    kind = models.CharField(_("见面环节"), max_length=10, choices=ContactKind.choices)
    note = models.TextField(_("情况记录"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("记录人"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("三见面记录")
        verbose_name_plural = _("三见面记录")
        ordering = ["assignment_id", "created_at", "id"]

    def __str__(self) -> str:
        return self.get_kind_display()
