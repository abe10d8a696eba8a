"""``jangkau recompute-status``: recompute every village's status in this process."""

from django.core.management.base import BaseCommand

from jangkau.evidence.services import recompute_statuses


class Command(BaseCommand):
    help = "Recompute the connectivity status of every village from its evidence."

    def add_arguments(self, parser):
        parser.add_argument("--village", action="append", default=None, help="village code")

    def handle(self, *args, **options):
        changed = recompute_statuses(options["village"])
        self.stdout.write(f"{changed} status change(s)")
