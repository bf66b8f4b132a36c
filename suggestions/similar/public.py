"""What a voter is shown of someone else's item: a redacted title, its status and date."""

from __future__ import annotations

from suggestions.redaction import redact


def public_title_redacted(title: str, *, names: tuple[str, ...] = ()) -> str:
    """The title as the public may read it (suggestions/redaction.py): names, phone numbers,
    e-mail and the door of an address masked; `names` (the submitter's) wherever they appear."""
    return redact(title or "", names=names).text
