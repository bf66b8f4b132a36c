"""`python manage.py bench_similar [--rows N] [--probes M]`: similar items (并单) at scale on
PostgreSQL.

On a throwaway database (it refuses one that has suggestions, unless --force) it writes N
suggestions (default 1,000,000) by COPY over a synthetic province (code 98: 10 cities × 10
counties × 12 townships × 5 villages), their texts drawn from the problems of the labelled set
and synthetic place names, statuses in a mature system's mix, and `similar_terms` filled as the
model's save would; builds the GIN index's statistics (ANALYZE); then times M searches
(`suggestions.similar.search.similar`, what the API calls, over all rows as a superuser sees
them) and the raw candidate SQL beside them, and prints a Markdown table.
"""

from __future__ import annotations

import datetime
import random
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bench.management.commands.generate_province import Command as Generate
from bench.timing import ms, percentile
from stations.models import LEVEL_BY_CODE_LENGTH, Region
from suggestions.models import TRACKING_CODE_ALPHABET, TRACKING_CODE_LENGTH, Suggestion
from suggestions.similar import evaluation
from suggestions.similar.search import Probe, candidate_rows, similar
from suggestions.similar.text import parse_stored, stored_terms

PROVINCE = "98"
STATUSES = [("closed", 70), ("replied", 7), ("handling", 8), ("assigned", 4), ("accepted", 2), ("submitted", 4),
            ("declined", 5)]
PLACE_CHARS = "幸福和平阳光紫金锦绣东关西关南街北街建设解放英雄太行长兴文化新华人民友谊光明春华秋实"
PLACE_KINDS = ["小区", "花园", "新村", "路", "街", "村", "社区", "大道"]
COLUMNS = ["id", "kind", "code", "title", "content", "region_id", "status", "closed_at", "created_at",
           "updated_at", "similar_terms", "submitter_name", "submitter_phone", "source"]


class Command(BaseCommand):
    help = "Time similar-item search (并单) on PostgreSQL at scale (default 1,000,000 suggestions)."

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=1_000_000)
        parser.add_argument("--probes", type=int, default=200)
        parser.add_argument("--seed", type=int, default=18)
        parser.add_argument("--force", action="store_true", help="time on the rows already there (no generating)")

    def handle(self, *args, rows, probes, seed, force, **options):
        if connection.vendor != "postgresql":
            raise CommandError("bench_similar needs PostgreSQL (it writes with COPY).")
        rng = random.Random(seed)
        pairs = evaluation.read()
        self.problems = [(c["title"], c["content"]) for c in pairs["corpus"]]
        self.queries = [(q["title"], q["content"]) for q in pairs["queries"]]
        self.places = [rng.choice(PLACE_CHARS) + rng.choice(PLACE_CHARS) + rng.choice(PLACE_KINDS) for _i in range(400)]
        if Suggestion.objects.exists() and not force:
            raise CommandError("This database already has suggestions; use a throwaway one (or --force to time them).")
        villages = self.regions()
        if not force:
            started = time.monotonic()
            self.write(rows, villages, rng)
            self.stdout.write(f"wrote {rows:,} suggestions in {time.monotonic() - started:.0f} s")
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE suggestions_suggestion")
        total = Suggestion.objects.count()
        self.time(probes, villages, rng, total)

    def regions(self) -> list[str]:
        rows = []

        def make(code, parent):
            rows.append(Region(code=code, name=f"测{code}", level=LEVEL_BY_CODE_LENGTH[len(code)], parent_id=parent))
            return code

        province = make(PROVINCE, None)
        villages = []
        for c in range(1, 11):
            city = make(f"{province}{c:02d}", province)
            for k in range(1, 11):
                county = make(f"{city}{k:02d}", city)
                for t in range(1, 13):
                    town = make(f"{county}{t:03d}", county)
                    villages += [make(f"{town}{v:03d}", town) for v in range(1, 6)]
        Region.objects.bulk_create(rows, ignore_conflicts=True, batch_size=2000)
        return villages

    def text(self, rng) -> tuple[str, str]:
        title, content = rng.choice(self.problems)
        place = rng.choice(self.places)
        return f"{place}{title}"[:200], f"{place}{content}"

    def write(self, rows: int, villages: list[str], rng) -> None:
        generate = Generate()
        generate.now = now = timezone.now()
        statuses, weights = zip(*STATUSES, strict=True)
        first = generate.next_id(Suggestion)
        chunk = []
        for i in range(rows):
            status = rng.choices(statuses, weights)[0]
            created = now - datetime.timedelta(days=rng.uniform(0, 100) if status != "closed" else rng.uniform(30, 1000))
            closed = created + datetime.timedelta(days=20) if status == "closed" else None
            title, content = self.text(rng)
            code = "".join(rng.choices(TRACKING_CODE_ALPHABET, k=TRACKING_CODE_LENGTH))
            chunk.append((first + i, "opinion", code, title, content, rng.choice(villages), status, closed, created,
                          created, stored_terms(title, content), "", "", "public"))
            if len(chunk) >= 50_000:
                generate.copy(Suggestion, COLUMNS, iter(chunk))
                chunk.clear()
        generate.copy(Suggestion, COLUMNS, iter(chunk))
        with connection.cursor() as cursor:
            cursor.execute("SELECT setval(pg_get_serial_sequence('suggestions_suggestion', 'id'), MAX(id)) FROM suggestions_suggestion")

    def time(self, probes: int, villages: list[str], rng, total: int) -> None:
        everything = Suggestion.objects.all()
        searches, raws, found = [], [], []
        for _i in range(probes):
            title, content = rng.choice(self.queries)
            place = rng.choice(self.places)
            probe = Probe(title=f"{place}{title}", content=content, region=rng.choice(villages))
            started = time.perf_counter()
            result = similar(everything, probe)
            searches.append(time.perf_counter() - started)
            found.append(len(result))
            started = time.perf_counter()
            candidate_rows(everything, probe, parse_stored(stored_terms(probe.title, probe.content)))
            raws.append(time.perf_counter() - started)
        sql = self.explain(everything, rng.choice(villages))
        self.stdout.write(f"\n{total:,} suggestions, {probes} searches (random area, random query of the labelled set)\n")
        self.stdout.write("| measure | p50 (ms) | p95 (ms) | max (ms) |\n| --- | ---: | ---: | ---: |")
        for name, values in (("similar() (API search: candidates + scoring)", searches),
                             ("candidate SQL only, same probe again (area count cached: the index query)", raws)):
            self.stdout.write(f"| {name} | {ms(percentile(values, .5))} | {ms(percentile(values, .95))} | {ms(max(values))} |")
        self.stdout.write(f"\nmatches per search: mean {sum(found) / len(found):.1f}\n\nplan:\n{sql}")

    def explain(self, queryset, village: str) -> str:
        """EXPLAIN (ANALYZE, BUFFERS) of the very SQL `candidate_rows` sends (the area count and
        the candidate query; only the latter when the area's count is already cached), for a random
        village."""
        title, content = self.queries[0]
        probe = Probe(title=title, content=content, region=village)
        bag = parse_stored(stored_terms(title, content))
        with CaptureQueriesContext(connection) as captured:
            candidate_rows(queryset, probe, bag)
        plans = []
        with connection.cursor() as cursor:
            for query in captured.captured_queries:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS, TIMING ON, SUMMARY ON) " + query["sql"])
                plans.append(query["sql"] + "\n" + "\n".join(row[0] for row in cursor.fetchall()))
        return "\n\n".join(plans)
