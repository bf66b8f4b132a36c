"""Attached files, for everyone signed in who may see their suggestion."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404

from suggestions import selectors
from suggestions.downloads import attachment_response


@login_required
def attachment_download(request, pk: int):
    """An attached file, for those who may see its suggestion; anyone else gets a 404 (the
    public never: the tracking page shows no attachments)."""
    attachment = get_object_or_404(selectors.attachments_visible_to(request.user), pk=pk)
    return attachment_response(attachment)
