"""Everyone signed in: my reminders and notices."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from suggestions import selectors
from suggestions.services.closing import notification_mark_read
from suggestions.views.helpers import PAGE_SIZE, safe_next

# --- notifications ------------------------------------------------------------------------------


@login_required
def notifications(request):
    """通知: my reminders (due, overdue), new assignments, replies, urgings — newest first."""
    show = request.GET.get("show") or "unread"
    if show not in ("unread", "all"):
        raise Http404("unknown filter")
    items = selectors.notification_list(user=request.user, unread_only=show == "unread").order_by("-created_at", "-id")
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "suggestions/notifications.html", {"page": page, "show": show})


@login_required
@require_POST
def notification_read(request, pk: int):
    notification = get_object_or_404(selectors.notification_list(user=request.user), pk=pk)
    notification_mark_read(notification=notification, by=request.user)
    return redirect(safe_next(request, reverse("suggestions:notifications")))
