"""The demo year (示范年度): the twelve months of work up to the day the demo is seeded.

`build_year(city)` runs the parts below in order, on the city `demo.seed` has just built, with
one random source and one simulated clock (demo/clock.py) so that the real services write the
rows. Each part is one module with one `build_*(year)` function taking the shared `DemoYear`
(context.py); a later feature of the product (voters' own ratings, supervision bundles,
follow-up visits, self-registered activities, co-signers' consent, …) adds its demo as one
more module and one more line in `PARTS`, after the parts whose rows it needs. Parts that
draw from the random source must keep their place in the list: the draws depend on the order.

- setup: categories, one officer per handling unit
- session: the deputies' suggestions of the session (大会期间), key supervision (重点督办)
- cases: one or more suggestions in every state of the workflow (returned, re-handled,
  merged, escalated, 即办, overdue, published, declined, converted, …)
- cosign: deputies' own suggestions between sessions, co-signers asked (附议: confirmed, one waiting)
- volume: the voters' opinions that make up the rest of the year's figures
- receptions: each recorded reception's summary counts the opinions raised there
- activities: deputies' duty activities (履职活动)
- duty: activities the deputies registered themselves (confirmed / returned / waiting), a 述职,
  the 两个联系 contact records
- voters: voters' ratings by tracking code; some 不满意 sent back (退回重办)
- follow_ups: 回头看 done, overdue and due; a 销号
- bundles, extensions: 打捆督办 on the supervision board; 延期 approved, refused, waiting
- reference: the congress's term (届次, the "本届" period) and answer templates (答复模板)
- inbox: notices older than two weeks have been read
- snapshot: the nightly statistics, built for today so every page has figures at once
"""

from __future__ import annotations

import time

from .activities import build_activities
from .cases import build_cases
from .context import DemoYear
from .cosign import build_cosign
from .duty import build_duty_records
from .followups import build_follow_ups
from .inbox import build_inbox
from .receptions import build_reception_summaries
from .reference import build_reference
from .session import build_session
from .setup import build_categories, build_officers
from .snapshot import build_snapshot
from .supervision import build_bundles, build_extensions
from .volume import build_volume
from .voters import build_voter_ratings

PARTS = (
    build_categories,
    build_officers,
    build_session,
    build_cases,
    build_cosign,
    build_volume,
    build_reception_summaries,
    build_activities,
    build_duty_records,
    build_voter_ratings,
    build_follow_ups,
    build_bundles,
    build_extensions,
    build_reference,
    build_inbox,
    build_snapshot,
)


def build_year(city) -> dict:
    """Build the year on `city` (a demo.seed._DemoCity after its own build); returns counts."""
    year = DemoYear(city=city, rng=city.rng, today=city.today, scale=city.scale)
    timings = {}
    with year.clock.running():
        for part in PARTS:
            started, cpu = time.perf_counter(), time.process_time()
            part(year)
            timings[part.__name__] = (round(time.perf_counter() - started, 2), round(time.process_time() - cpu, 2))
    year.counts["start"], year.counts["end"] = year.start.isoformat(), year.today.isoformat()
    year.counts["seconds"] = timings  # (wall clock, CPU) per part
    return year.counts
