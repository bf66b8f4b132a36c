"""An import's problems as Chinese lines (第 N 行「列名」：说明), for messages and commands."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def line_label(line: int) -> str:
    return _("第 %(line)d 行") % {"line": line}


def error_lines(result) -> list[str]:
    """Every problem of an import result as one Chinese line each, in row order."""
    lines = []
    for error in result.base_errors:
        exc = error.error
        lines.append("；".join(exc.messages) if isinstance(exc, ValidationError) else str(exc))
    for row in result.invalid_rows:
        for messages in row.error_dict.values():
            lines.extend(str(m) for m in messages)
    for row in result.error_rows:
        for error in row.errors:
            lines.append(f"{line_label(row.number + 1)}：{error.error}")
    return lines
