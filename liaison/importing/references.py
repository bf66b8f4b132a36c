"""References to other objects by name: 名称, or 名称#编号 when a name is shared.

A bare name must point at exactly one object in the importer's region, preferring objects on
the row's own line of regions (the row's region, its ancestors and its descendants). Exports
write the bare name whenever an import would find the same object by it, else 名称#编号.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

from django.utils.translation import gettext as _

from liaison.importing.cells import chunked

REF_WITH_ID = re.compile(r"^(?P<name>.*?)\s*#\s*(?P<id>\d+)$")


def parse_ref(text: str) -> tuple[str, int | None]:
    match = REF_WITH_ID.match(text)
    if match:
        return match.group("name").strip(), int(match.group("id"))
    return text.strip(), None


def on_line(region_code: str | None, other: str) -> bool:
    """Whether two regions lie on one line of the tree (one is the other's ancestor)."""
    if not region_code:
        return False
    return other.startswith(region_code) or region_code.startswith(other)


def pick_by_name(candidates: list, *, name: str, region_code: str | None, what: str):
    """The one candidate a bare name means, or a Chinese ValueError."""
    if len(candidates) == 1:
        return candidates[0]
    if not candidates:
        raise ValueError(_("找不到名为「%(name)s」的%(what)s（或不在您的管辖范围内）。") % {"name": name, "what": what})
    closer = [c for c in candidates if on_line(region_code, c.region_id)]
    if len(closer) == 1:
        return closer[0]
    raise ValueError(
        _("名为「%(name)s」的%(what)s有 %(count)d 个，请写成「%(name)s#编号」指明是哪一个。")
        % {"name": name, "what": what, "count": len(closer) or len(candidates)}
    )


def refers_to(text: str, current) -> bool:
    """Whether a reference cell names `current` (the value already stored), by 名称 or
    名称#编号: an unchanged reference is kept even when it points outside the importer's
    region (a county hub under the city's hub, say)."""
    if current is None:
        return False
    name, pk = parse_ref(text)
    return name == current.name and pk in (None, current.pk)


def ref_text(target, *, region_code: str | None, namesakes: list) -> str:
    """How an export writes a reference: the bare name when an import would find exactly
    `target` by it (from `region_code`), else 名称#编号."""
    try:
        if pick_by_name(namesakes, name=target.name, region_code=region_code, what="") == target:
            return target.name
    except ValueError:  # the name alone is ambiguous or unknown: write the numbered form
        pass
    return f"{target.name}#{target.pk}"


class NameIndex:
    """Objects of one model by name, loaded in chunked queries and restricted to a scope;
    objects created during the import are added as they are saved."""

    def __init__(self, queryset, *, what: str):
        self.queryset = queryset
        self.what = what
        self.by_name: dict[str, list] = defaultdict(list)
        self.by_id: dict[int, object] = {}
        self.loaded: set[str] = set()

    def load(self, names: Iterable[str], ids: Iterable[int] = ()) -> None:
        missing = {n for n in names if n and n not in self.loaded}
        for part in chunked(sorted(missing)):
            for obj in self.queryset.filter(name__in=part):
                self.add(obj)
        self.loaded |= missing
        wanted = [i for i in ids if i not in self.by_id]
        for part in chunked(sorted(set(wanted))):
            for obj in self.queryset.filter(pk__in=part):
                self.add(obj)

    def add(self, obj) -> None:
        if obj.pk in self.by_id:
            return
        self.by_id[obj.pk] = obj
        self.by_name[obj.name].append(obj)

    def resolve(self, text: str, *, region_code: str | None):
        name, pk = parse_ref(text)
        if pk is not None:
            self.load((), [pk])
            obj = self.by_id.get(pk)
            if obj is None:
                raise ValueError(_("编号为 %(id)d 的%(what)s不存在或不在您的管辖范围内。") % {"id": pk, "what": self.what})
            if name and obj.name != name:
                raise ValueError(
                    _("编号为 %(id)d 的%(what)s名为「%(actual)s」，与「%(name)s」不符。")
                    % {"id": pk, "what": self.what, "actual": obj.name, "name": name}
                )
            return obj
        self.load([name])
        return pick_by_name(self.by_name.get(name, []), name=name, region_code=region_code, what=self.what)


def namesakes_of(model, names: Iterable[str]) -> dict[str, list]:
    """Every object (whatever the scope) bearing one of `names`, for writing references."""
    found: dict[str, list] = defaultdict(list)
    for part in chunked(sorted({n for n in names if n})):
        for obj in model._default_manager.filter(name__in=part).only("pk", "name", "region_id"):
            found[obj.name].append(obj)
    return found

