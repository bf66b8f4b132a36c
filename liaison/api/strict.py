"""JSON input taken as the schema states it: a string field takes a string, a boolean field
`true` or `false`, a list field a list — of at most `MAX_RELATED_IDS` ids.

DRF is lenient by design: `0` becomes the text "0", `1` becomes `true`, and `{}` passes as an
empty list of ids. The OpenAPI schema promises types, and a client that sends `0` for a name
has a bug the API should name (400, with the field), not paper over. Form posts are not
affected: every value of an HTML form or a multipart body is already a string.

Installed once, for every serializer of every app, from `LiaisonConfig.ready()`: the fields
are DRF's own, so there is no project base class every serializer would have to remember.
"""

from collections.abc import Mapping

from django.utils.translation import gettext_lazy as _
from rest_framework import fields, relations
from rest_framework.exceptions import ValidationError

_installed = False


def _char_to_internal_value(original):
    def to_internal_value(self, data):
        if isinstance(data, int | float) and not isinstance(data, bool):
            self.fail("invalid")
        return original(self, data)

    return to_internal_value


def _boolean_to_internal_value(original):
    def to_internal_value(self, data):
        if isinstance(data, int | float) and not isinstance(data, bool):
            self.fail("invalid", input=data)
        return original(self, data)

    return to_internal_value


#: The most ids one list of related objects takes: each id is looked up, so a list of 50,000
#: would hold a worker for a minute (a bundle, co-units, deputies: the practice needs dozens).
MAX_RELATED_IDS = 200


def _many_to_internal_value(original):
    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            self.fail("not_a_list", input_type=type(data).__name__)
        if isinstance(data, list | tuple) and len(data) > MAX_RELATED_IDS:
            raise ValidationError(_("最多 %(n)d 个，收到 %(got)d 个。") % {"n": MAX_RELATED_IDS, "got": len(data)},
                                  code="max_length")
        return original(self, data)

    return to_internal_value


def install() -> None:
    global _installed
    if _installed:
        return
    fields.CharField.default_error_messages = {
        **fields.CharField.default_error_messages, "invalid": _("应为文本（字符串）。"),
    }
    fields.CharField.to_internal_value = _char_to_internal_value(fields.CharField.to_internal_value)
    fields.BooleanField.to_internal_value = _boolean_to_internal_value(fields.BooleanField.to_internal_value)
    relations.ManyRelatedField.to_internal_value = _many_to_internal_value(
        relations.ManyRelatedField.to_internal_value
    )
    _installed = True
