"""The rules of region codes (统计用区划代码), named once for every app.

A code is its own path: 省 2 digits, 市 4, 县 6, 乡 9, 村 12, each the prefix of the ones under
it. So "this region and everything under it" is a prefix match on the code column, and a
region's ancestors are the prefixes of its code. Regions themselves (the table) live in
`stations`; these rules need no table.
"""

import re

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

#: The lengths of a code at each level, from province (省) to village (村).
CODE_LENGTHS = (2, 4, 6, 9, 12)
#: A well-formed code: one of the lengths above, digits only.
CODE_PATTERN = r"^(\d{2}|\d{4}|\d{6}|\d{9}|\d{12})$"
CODE_FORMAT_MESSAGE = _("区划代码应为 2、4、6、9 或 12 位数字。")

_CODE = re.compile(CODE_PATTERN)


def is_code(value) -> bool:
    """Whether `value` is a well-formed region code (not whether that region exists)."""
    return isinstance(value, str) and bool(_CODE.match(value))


def lineage(code: str, *, below: str = "") -> list[str]:
    """The codes from the top down to `code` itself (`"140403"` → `["14", "1404", "140403"]`).

    With `below`, only the codes strictly under that one: the path from a scope down to a
    region, as a drill-down shows it.
    """
    return [code[:n] for n in CODE_LENGTHS if len(below) < n <= len(code)]


def within(code: str, lookup: str = "region__code") -> Q:
    """Rows whose region (`lookup`, a path to a code) is `code` or lies under it.

    `region__code` resolves on the foreign key column itself (the code is the key), so the
    default costs no join; pass `"code"` for regions, `"station__region__code"` through a
    station, `"region_code"` for a plain code column.
    """
    return Q(**{f"{lookup}__startswith": code})


def child_length(code: str) -> int | None:
    """The length of the codes one level below `code` (`""` → provinces), or None at the bottom."""
    longer = [n for n in CODE_LENGTHS if n > len(code)]
    return longer[0] if longer else None


def root_code() -> str:
    """The deployment's own jurisdiction (`LIAISON_ROOT_REGION`, e.g. 1404 for 长治市): where the
    public pages, the station finder and the opinion form start. '' = the whole country."""
    from django.conf import settings

    return str(getattr(settings, "LIAISON_ROOT_REGION", "") or "")


def under_root(code: str) -> str:
    """`code` when it lies at or below the root, else the root: a public page never climbs
    above the deployment's jurisdiction (a code outside it starts at the root)."""
    root = root_code()
    if not root:
        return code
    return code if code and code.startswith(root) else root
