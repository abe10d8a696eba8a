"""``jangkau setup``: migrate, create roles, load the shipped regency data, compute statuses."""

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from jangkau.core.roles import ensure_role_groups
from jangkau.regions.io.errors import InputFileError


class Command(BaseCommand):
    help = "Create or upgrade the database and load Kabupaten Kutai Timur (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--no-migrate", action="store_true")

    def handle(self, *args, **options):
        from jangkau.evidence.loaders import load_blankspots
        from jangkau.evidence.services import recompute_statuses
        from jangkau.regions.datasets import KUTIM_DIR, load_kutim

        if not options["no_migrate"]:
            call_command("migrate", interactive=False, verbosity=0)
            call_command("createcachetable", verbosity=0)
        ensure_role_groups()
        try:
            report = load_kutim()
            created, unchanged = load_blankspots(KUTIM_DIR / "blankspot_desa_kutim_2021_2022.csv")
        except InputFileError as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            raise CommandError("the shipped dataset did not load") from exc
        report.evidence = f"blank-spot list: {created} created, {unchanged} unchanged"
        call_command("terrain", "load-demo", stdout=self.stdout, stderr=self.stderr)
        changed = recompute_statuses()
        self.stdout.write(report.summary())
        self.stdout.write(f"status changes: {changed}")
