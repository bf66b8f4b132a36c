"""Attachment files leave the server only through here, after the caller has checked that the
user may see the suggestion (web: `views/attachments.py`; API: the suggestion viewset's
`attachments/{id}/`). Uploads are never served from MEDIA_URL."""

from __future__ import annotations

from django.http import FileResponse, Http404
from django.utils.cache import patch_cache_control

from .models import Attachment


def attachment_response(attachment: Attachment) -> FileResponse:
    """The file as a download under its original name, with the type its content was checked
    to be; the browser is told not to guess another (nosniff) nor to keep a shared copy."""
    try:
        handle = attachment.file.open("rb")
    except OSError as exc:  # the row outlived its file (storage restored from an older backup)
        raise Http404("attachment file missing") from exc
    response = FileResponse(
        handle, as_attachment=True, filename=attachment.original_name, content_type=attachment.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    patch_cache_control(response, private=True, no_cache=True)
    return response
