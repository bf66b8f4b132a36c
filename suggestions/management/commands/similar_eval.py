"""`python manage.py similar_eval [--pairs FILE] [--threshold X]`: hit@3 and precision of the
similar-items search on a labelled pairs file (default: the repository's), on the configured
database, inside a transaction that is rolled back (nothing is left behind)."""

from django.core.management.base import BaseCommand
from django.db import transaction

from suggestions.similar import evaluation


class Command(BaseCommand):
    help = "Measure similar items (并单) on a labelled pairs file: hit@3 and precision."

    def add_arguments(self, parser):
        parser.add_argument("--pairs", default=None, help="pairs file (default: tests/suggestions/similar/pairs.json)")
        parser.add_argument("--threshold", type=float, default=None, help="score threshold (default: the setting)")

    def handle(self, *args, pairs=None, threshold=None, **options):
        data = evaluation.read(pairs)
        with transaction.atomic():
            ids, codes = evaluation.load(data)
            m = evaluation.measure(data, ids, codes, threshold=threshold)
            transaction.set_rollback(True)  # the labelled items are not kept
        self.stdout.write(
            f"queries {m.queries} (with a match {m.with_match}); hit@3 {m.hit_at_3:.3f} ({m.hits}/{m.with_match}); "
            f"precision {m.precision:.3f} ({m.shown_relevant}/{m.shown}); unrelated above threshold {len(m.unrelated_false)}"
        )
        for miss in m.misses:
            self.stdout.write(f"  miss {miss}")
        for false in m.unrelated_false:
            self.stdout.write(f"  unrelated match {false}")
