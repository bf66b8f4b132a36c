"""`python manage.py open311_key <name>`: register an Open311 client and print its api_key."""

from django.core.management.base import BaseCommand

from open311.models import ClientKey


class Command(BaseCommand):
    help = "Register an Open311 client and print its api_key (shown once)."

    def add_arguments(self, parser):
        parser.add_argument("name")

    def handle(self, *args, name, **options):
        _client, key = ClientKey.issue(name)
        self.stdout.write(key)
