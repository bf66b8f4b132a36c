"""`python manage.py send_reminders [--date YYYY-MM-DD] [--deliver]`: the reminder sweep, once."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from suggestions import notify
from suggestions.models import Assignment
from suggestions.services.reminders import reminders_sweep


class Command(BaseCommand):
    help = "Run the deadline-reminder sweep once (the same code as the scheduled task); idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Sweep as if today were this day (YYYY-MM-DD).")
        parser.add_argument(
            "--deliver", action="store_true", help="Also send the e-mail/SMS outbox now instead of leaving it to the worker."
        )

    def handle(self, *args, **options):
        today = None
        if options["date"]:
            try:
                today = datetime.date.fromisoformat(options["date"])
            except ValueError as exc:
                raise CommandError(f"--date must be YYYY-MM-DD: {exc}") from exc
        result = reminders_sweep(today=today)
        assignments = Assignment.objects.select_related("suggestion", "unit").in_bulk(
            [reminder.assignment_id for reminder in result.reminders]
        )
        for reminder in result.reminders:
            assignment = assignments[reminder.assignment_id]
            self.stdout.write(
                f"{reminder.kind:<13} {assignment.suggestion.code} {assignment.unit.name} "
                f"({assignment.get_role_display()}) deadline {reminder.deadline}"
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"{result.today}: {len(result.reminders)} reminders, {result.notifications} notifications, "
                f"{result.skipped} already sent"
            )
        )
        if options["deliver"]:
            delivered = notify.deliver_pending()
            self.stdout.write(f"delivered: {delivered.emailed} e-mails, {delivered.texted} SMS, {delivered.failed} failed")
