"""`python manage.py lead_units_eval [--holdout 0.2] [--region CODE] [--synthetic N]`: top-3
accuracy of the suggested lead unit on held-out history (the newest share of the lead
assignments), beside the category-only baseline. With --synthetic N it first writes a
synthetic history of N items (suggestions/similar/lead_units_eval.py) in a transaction that is
rolled back; without it, it reads this deployment's own history and changes nothing."""

from django.core.management.base import BaseCommand
from django.db import transaction

from suggestions.similar import lead_units_eval


class Command(BaseCommand):
    help = "Top-3 accuracy of the suggested lead unit on held-out history."

    def add_arguments(self, parser):
        parser.add_argument("--holdout", type=float, default=0.2)
        parser.add_argument("--region", default="", help="only items under this region code")
        parser.add_argument("--synthetic", type=int, default=0, help="write N synthetic items first (rolled back)")

    def handle(self, *args, holdout, region, synthetic, **options):
        with transaction.atomic():
            if synthetic:
                lead_units_eval.synthetic_history(synthetic)
                region = region or lead_units_eval.evaluation.SCRATCH_PROVINCE
            result = lead_units_eval.measure(holdout=holdout, region_prefix=region)
            transaction.set_rollback(True)  # a synthetic history is not kept
        self.stdout.write(
            f"held out {result.held_out}: top-1 {result.rate(result.top1):.3f}, top-3 {result.rate(result.top3):.3f}; "
            f"category-only baseline top-3 {result.rate(result.baseline_top3):.3f}"
        )
