"""The statistics snapshot (统计快照) of the seeding day, built at once: every statistics page,
the league table and the books have figures on first open, without `build_stats`."""

from __future__ import annotations

from demo.clock import _REAL_NOW, local_moment
from suggestions.stats.build import build_stats


def build_snapshot(year) -> None:
    # Stamped now when the demo is seeded for today; late on the day when seeded for another.
    now = _REAL_NOW()
    start, end = local_moment(year.today, 0, 1), local_moment(year.today, 23, 0)
    year.clock.at(now if start <= now <= end else end)
    result = build_stats(date=year.today)
    year.counts["snapshot_rows"] = result.rows
