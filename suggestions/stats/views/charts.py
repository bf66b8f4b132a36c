"""Charts drawn on the server as SVG: no chart library is loaded and the pages work without JavaScript."""

from __future__ import annotations

import datetime
from dataclasses import dataclass


@dataclass
class Bar:
    label: str
    values: list[int]
    href: str = ""


def bar_chart(bars: list[Bar], *, series: list[str], width: int = 720, label_width: int = 150,
              bar_height: int = 12, gap: int = 10) -> dict:
    """Horizontal grouped bars (one group per row, one bar per series), scaled to the largest value."""
    top = max((v for bar in bars for v in bar.values), default=0) or 1
    group = bar_height * len(series) + gap
    plot = width - label_width - 60
    rows = []
    for i, bar in enumerate(bars):
        y = 20 + i * group
        rects = [
            {"x": label_width, "y": y + j * bar_height, "w": round(plot * value / top, 1), "h": bar_height - 2,
             "value": value, "series": j, "tx": label_width + round(plot * value / top, 1) + 4,
             "ty": y + j * bar_height + bar_height - 3}
            for j, value in enumerate(bar.values)
        ]
        rows.append({"label": bar.label, "href": bar.href, "y": y + (bar_height * len(series)) / 2 + 4, "rects": rects})
    return {"width": width, "height": 30 + len(bars) * group, "rows": rows, "series": series,
            "label_width": label_width}


def trend_chart(points: list[tuple[datetime.date, object]], *, width: int = 720, height: int = 240) -> dict:
    """Monthly columns of suggestions collected, with the feedback rate as a line (0–100 %)."""
    left, right, top_pad, bottom = 50, 50, 20, 40
    plot_w, plot_h = width - left - right, height - top_pad - bottom
    top = max((f.collected for _d, f in points), default=0) or 1
    step = plot_w / max(len(points), 1)
    columns, line = [], []
    for i, (day, figures) in enumerate(points):
        h = plot_h * figures.collected / top
        x = left + i * step + step * 0.15
        columns.append({"x": round(x, 1), "y": round(top_pad + plot_h - h, 1), "w": round(step * 0.7, 1),
                        "h": round(h, 1), "label": f"{day:%Y-%m}", "value": figures.collected,
                        "lx": round(x + step * 0.35, 1)})
        rate = figures.feedback_rate
        if rate is not None:
            line.append((round(left + i * step + step / 2, 1), round(top_pad + plot_h * (1 - rate), 1), rate))
    return {"width": width, "height": height, "columns": columns, "top": top, "base": top_pad + plot_h,
            "left": left, "right_x": width - right, "top_pad": top_pad,
            "line": " ".join(f"{x},{y}" for x, y, _r in line), "dots": line}
