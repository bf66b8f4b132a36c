"""Closing (评): the evaluation of a reply, the review of a result-B reply (回头看) and the
feedback to the voter (反馈)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from deputies.models import Deputy

from .choices import FeedbackChannel, FollowUpOutcome, Rating
from .handling import Assignment
from .suggestions import Suggestion


class Evaluation(models.Model):
    """评: a deputy's (or, recorded by staff, the voter's) rating of a reply, once per round."""

    suggestion = models.ForeignKey(Suggestion, verbose_name=_("意见建议"), on_delete=models.CASCADE, related_name="evaluations")
    deputy = models.ForeignKey(
        Deputy, verbose_name=_("评价代表"), on_delete=models.PROTECT, null=True, blank=True, related_name="evaluations",
        help_text=_("为空表示工作人员代群众（提出人）录入的评价。"),
    )
    rating = models.CharField(_("评价"), max_length=20, choices=Rating.choices)
    comment = models.TextField(_("评价意见"), blank=True)
    # 0 for the first reply, n after the n-th re-handling: each reply is evaluated afresh.
    round = models.PositiveSmallIntegerField(_("办理轮次"), default=0)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("录入人"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("评价时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("办理评价")
        verbose_name_plural = _("办理评价")
        ordering = ["suggestion_id", "round", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["suggestion", "deputy", "round"], condition=Q(deputy__isnull=False),
                name="evaluation_once_per_deputy_round",
            ),
            models.UniqueConstraint(
                fields=["suggestion", "round"], condition=Q(deputy__isnull=True), name="evaluation_once_per_voter_round"
            ),
        ]
        indexes = [
            models.Index(fields=["rating", "created_at"], name="evaluation_rating_created"),
            # What changed since the statistics ledger's cutoff (suggestions/stats/ledger.py).
            models.Index(fields=["created_at"], name="evaluation_created"),
        ]

    def __str__(self) -> str:
        return self.get_rating_display()


class FollowUp(models.Model):
    """回头看: a result-B reply (being solved / planned) stays on this list until really solved."""

    suggestion = models.ForeignKey(Suggestion, verbose_name=_("意见建议"), on_delete=models.CASCADE, related_name="follow_ups")
    assignment = models.ForeignKey(
        Assignment, verbose_name=_("交办"), on_delete=models.CASCADE, null=True, blank=True, related_name="follow_ups"
    )
    review_on = models.DateField(_("回访日期"))
    done_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("办理人"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.TextField(_("回头看情况"), blank=True)
    # How it ended: solved (真正解决), not yet (a next follow-up was set), or superseded by a
    # later reply of result A. Empty while open.
    outcome = models.CharField(_("回头看结论"), max_length=12, choices=FollowUpOutcome.choices, blank=True, db_default="")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("回头看")
        verbose_name_plural = _("回头看")
        ordering = ["review_on", "id"]
        indexes = [models.Index(fields=["done_at", "review_on"], name="followup_open_review")]

    def __str__(self) -> str:
        return f"{self.suggestion.code} {self.review_on}"


class Feedback(models.Model):
    """反馈: the voter was told the result. Counts toward the feedback rate."""

    suggestion = models.ForeignKey(Suggestion, verbose_name=_("意见建议"), on_delete=models.CASCADE, related_name="feedbacks")
    channel = models.CharField(_("反馈方式"), max_length=10, choices=FeedbackChannel.choices)
    note = models.TextField(_("反馈情况"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("反馈人"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("反馈时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("结果反馈")
        verbose_name_plural = _("结果反馈")
        ordering = ["suggestion_id", "created_at", "id"]

    def __str__(self) -> str:
        return self.get_channel_display()
