"""The English catalogue (locale/en): every Chinese message has its translation, none left
fuzzy, and the compiled .mo the server reads holds all of them."""

import gettext
import re
from pathlib import Path

from django.utils import translation

LOCALE = Path(__file__).resolve().parents[1] / "locale" / "en" / "LC_MESSAGES"


def _entries():
    """(msgid, [msgstr…], flags) for each entry of the .po file (a small reader: no dependency)."""
    text = (LOCALE / "django.po").read_text(encoding="utf-8")
    for block in re.split(r"\n\s*\n", text):
        lines = block.strip().splitlines()
        flags = " ".join(line for line in lines if line.startswith("#,"))
        fields: dict[str, str] = {}
        key = None
        for line in lines:
            if line.startswith("#"):
                continue
            match = re.match(r'^(msgid|msgid_plural|msgstr(?:\[\d\])?) "(.*)"$', line)
            if match:
                key = match.group(1)
                fields[key] = match.group(2)
            elif key and line.startswith('"'):
                fields[key] += line[1:-1]
        if fields.get("msgid"):
            yield fields["msgid"], [v for k, v in fields.items() if k.startswith("msgstr")], flags


def test_every_message_has_an_english_translation_and_none_is_fuzzy():
    entries = list(_entries())
    assert len(entries) > 1000
    untranslated = [msgid for msgid, strs, _flags in entries if not all(strs)]
    fuzzy = [msgid for msgid, _strs, flags in entries if "fuzzy" in flags]
    assert untranslated == [] and fuzzy == []


def test_the_compiled_catalogue_holds_every_message():
    with open(LOCALE / "django.mo", "rb") as compiled:
        catalogue = gettext.GNUTranslations(compiled)
    singular = {msgid for msgid, strs, _flags in _entries() if len(strs) == 1}
    assert all(catalogue.gettext(msgid) != msgid or msgid.isascii() for msgid in singular)


def test_levels_and_statuses_read_in_english():
    from deputies.models import Level
    from suggestions.models import Status

    with translation.override("en"):
        assert str(Level.CITY.label) == "City"
        assert str(Status.HANDLING.label) == "Being handled"
