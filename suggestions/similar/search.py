"""Finding similar items: candidates by an index, scored with reasons (scoring.py).

Candidates are the items of the same area (the region's code down to `SIMILAR_AREA_DIGITS`,
the township or street by default) that are still open or closed recently, among a queryset
the caller may see. On PostgreSQL only those sharing a term with the text are kept; on SQLite
the area's newest items are scanned. Either way at most `SIMILAR_CANDIDATES` rows (the newest) are scored.

On PostgreSQL the area's open and recently closed items come from one small GIN index
(migration 0011_issue18b_similar_window) over `similar_window(region_id, status, closed_at)`:
rare tokens per region prefix and status window (`o140403001` open, `p…` shown to voters,
`c140403001m686` closed in that 30-day period), so only those rows' heap pages are read, not
the whole area's. The tokens say exactly "in this area, open" (or "closed in this period");
the exact `closed_at` filter and the caller's scope stay in the query, and the rows are then
kept only when they share a term with the text (an array overlap on those few rows; the common
bigrams' long posting lists are never walked).
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass

from django.core.cache import cache
from django.db import connection
from django.db.models import Q, QuerySet
from django.utils import timezone

from suggestions.conf import setting
from suggestions.models import Status, Suggestion

from .scoring import Record, Scored, score_all
from .text import CONCEPT_MARK, TITLE_MARK, parse_stored, stored_terms

#: Open, in the sense of "someone is, or will be, working on it".
OPEN_STATUSES = (Status.SUBMITTED, Status.ACCEPTED, Status.ASSIGNED, Status.HANDLING, Status.REPLIED)
#: What a voter may be shown as "already being handled": accepted by staff, not yet closed.
PUBLIC_STATUSES = (Status.ACCEPTED, Status.ASSIGNED, Status.HANDLING, Status.REPLIED)
MAX_QUERY_TERMS = 48
#: Region code lengths (province … village) that have tokens in the index's document.
REGION_TOKEN_LENGTHS = (2, 4, 6, 9, 12)
#: The period of the `c…m…` token of `closed_at` (30 days, in seconds; as in the migration).
CLOSED_PERIOD = 30 * 86400
WINDOW = "similar_window(suggestions_suggestion.region_id, suggestions_suggestion.status, suggestions_suggestion.closed_at)"
#: A row shares a term with the text: its stored tokens (marked ^ from the title, # for a
#: concept) overlap the text's words in any marking. An array test on the few rows the index
#: gave, about 3× cheaper than to_tsvector on each.
SHARES_A_TERM = "string_to_array(suggestions_suggestion.similar_terms, ' ') && %s::text[]"


@dataclass(frozen=True)
class Probe:
    """The text being written (or an existing item's), and where it is."""

    title: str
    content: str
    region: str
    category: int | None = None
    station: int | None = None
    exclude: int | None = None  # an existing item's own id


def area_of(region_code: str) -> str:
    digits = int(setting("SIMILAR_AREA_DIGITS"))
    return region_code[:digits] if len(region_code) > digits else region_code


def _status_window(public: bool) -> tuple[Q, datetime.datetime | None]:
    """The statuses a candidate may have (and since when a closed one counts)."""
    if public:
        return Q(status__in=PUBLIC_STATUSES), None
    recent = timezone.now() - datetime.timedelta(days=int(setting("SIMILAR_RECENT_DAYS")))
    return Q(status__in=OPEN_STATUSES) | Q(status=Status.CLOSED, closed_at__gte=recent), recent


def window_query(area: str, public: bool, recent: datetime.datetime | None) -> str | None:
    """The index's tokens for "this area, this status window" as a tsquery; None when the area
    is no region level (the index has no token for it: the area is scanned instead)."""
    if len(area) not in REGION_TOKEN_LENGTHS or not area.isdigit():
        return None
    if public:
        return f"p{area}"
    first, last = int(recent.timestamp()) // CLOSED_PERIOD, int(timezone.now().timestamp()) // CLOSED_PERIOD
    return " | ".join([f"o{area}"] + [f"c{area}m{period}" for period in range(first, last + 1)])


def candidate_rows(queryset: QuerySet, probe: Probe, bag, *, public: bool = False) -> tuple[list[dict], int | None]:
    """The rows worth scoring: same area, open (or, for signed-in users, closed recently),
    sharing a term with the probe (PostgreSQL); and how many the area holds when only those
    sharing a term were read (None when the rows are the area's own, newest first)."""
    if queryset.query.is_empty():
        return [], None
    status_q, recent = _status_window(public)
    area = area_of(probe.region)
    rows = queryset.filter(status_q)
    window = window_query(area, public, recent) if connection.vendor == "postgresql" else None
    if window is None:
        rows = rows.filter(region__code__startswith=area)
    else:  # the tokens are exactly "region code starts with the area" and the status window
        rows = rows.extra(where=[f"{WINDOW} @@ to_tsquery('simple'::regconfig, %s)"], params=[window])
    if probe.exclude is not None:
        rows = rows.exclude(pk=probe.exclude)
    pool_size = None
    if connection.vendor == "postgresql":
        pool_size = _pool_size(queryset, rows, area, public, probe.exclude)
        words = [t.lstrip(CONCEPT_MARK) for t, _w in bag.most_common(MAX_QUERY_TERMS)]
        words = list(dict.fromkeys(w for w in words if w))
        if not words:
            return [], pool_size
        marked = [mark + w for w in words for mark in ("", TITLE_MARK, CONCEPT_MARK, TITLE_MARK + CONCEPT_MARK)]
        rows = rows.extra(where=[SHARES_A_TERM], params=[marked])
    limit = int(setting("SIMILAR_CANDIDATES"))
    fields = ("pk", "similar_terms", "region_id", "category_id", "station_id")
    return list(rows.order_by("-created_at").values(*fields)[:limit]), pool_size


def _pool_size(scope: QuerySet, rows: QuerySet, area: str, public: bool, exclude) -> int:
    """How many items the area holds (the idf's N), cached for ten minutes: it moves slowly,
    and counting costs a second pass over the area's rows (found by the same index).

    The key names the caller's scope, not `rows`' SQL: that holds the "closed since" instant,
    which changes every call (the cache never answered while the key held it)."""
    digest = hashlib.sha1(str(scope.query).encode(), usedforsecurity=False).hexdigest()
    key = f"similar:pool:{area}:{int(public)}:{exclude}:{digest}"
    size = cache.get(key)
    if size is None:
        size = rows.count()
        cache.set(key, size, 600)
    return size


def similar(queryset: QuerySet, probe: Probe, *, public: bool = False, limit: int = 10, threshold=None) -> list[Scored]:
    """Up to `limit` items of `queryset` like the probe, best first, each at or above the
    threshold; `Scored.ref` is the row's primary key."""
    bag = parse_stored(stored_terms(probe.title, probe.content))
    if not bag:
        return []
    rows, pool_size = candidate_rows(queryset, probe, bag, public=public)
    query = Record(bag=bag, region=probe.region, category=probe.category, station=probe.station)
    candidates = [
        Record(bag=parse_stored(r["similar_terms"]), region=r["region_id"], category=r["category_id"],
               station=r["station_id"], ref=r["pk"])
        for r in rows
    ]
    threshold = float(setting("SIMILAR_THRESHOLD")) if threshold is None else threshold
    return [s for s in score_all(query, candidates, pool_size=pool_size) if s.score >= threshold][:limit]


def with_rows(scored: list[Scored], queryset: QuerySet) -> list[tuple[Suggestion, Scored]]:
    """The scored matches with their rows (one query), in score order."""
    rows = queryset.filter(pk__in=[s.ref for s in scored]).select_related("region", "category", "station").in_bulk()
    return [(rows[s.ref], s) for s in scored if s.ref in rows]


def probe_of(suggestion: Suggestion) -> Probe:
    return Probe(
        title=suggestion.title, content=suggestion.content, region=suggestion.region_id,
        category=suggestion.category_id, station=suggestion.station_id, exclude=suggestion.pk,
    )
