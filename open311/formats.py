"""GeoReport v2's two formats: JSON, and XML with the spec's element names."""

from __future__ import annotations

import datetime
import json
from xml.etree import ElementTree as ET

from django.http import HttpResponse

CONTENT_TYPES = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}
# Element names of a list's items, by the list's root element.
ITEM_NAMES = {
    "services": "service", "service_requests": "request", "errors": "error", "endpoints": "endpoint",
    "formats": "format", "attributes": "attribute", "values": "value", "keywords": "keyword",
}


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.datetime):
        return value.isoformat(timespec="seconds")
    return str(value)


def _build(parent: ET.Element, name: str, value) -> None:
    element = ET.SubElement(parent, name)
    if isinstance(value, dict):
        for key, child in value.items():
            _build(element, key, child)
    elif isinstance(value, list):
        for child in value:
            _build(element, ITEM_NAMES.get(name, "item"), child)
    else:
        element.text = _text(value)


def to_xml(root: str, value) -> bytes:
    element = ET.Element(root)
    if isinstance(value, list):
        for child in value:
            _build(element, ITEM_NAMES[root], child)
    else:
        for key, child in value.items():
            _build(element, key, child)
    return b'<?xml version="1.0" encoding="utf-8"?>' + ET.tostring(element, encoding="utf-8", xml_declaration=False)


def _json_default(value):
    if isinstance(value, datetime.datetime):
        return value.isoformat(timespec="seconds")
    raise TypeError(type(value))


def render(fmt: str, root: str, value, status: int = 200) -> HttpResponse:
    """`value` as `fmt`: a list renders as `<root><item/>…</root>` in XML, as an array in JSON."""
    if fmt == "xml":
        body = to_xml(root, value)
    else:
        body = json.dumps(value, ensure_ascii=False, default=_json_default).encode()
    return HttpResponse(body, status=status, content_type=CONTENT_TYPES[fmt])


def error(fmt: str, status: int, description: str) -> HttpResponse:
    """The spec's errors: `<errors><error><code/><description/></error></errors>` or the JSON array."""
    return render(fmt, "errors", [{"code": status, "description": str(description)}], status=status)
