"""``jangkau monitoring-rollup``: roll up results, update outages and the gate, send alerts."""

import time

from django.core.management.base import BaseCommand

from jangkau.monitoring.services.cycle import CycleBusy, run_cycle
from jangkau.monitoring.tasks import enqueue_cycle


class Command(BaseCommand):
    help = (
        "Run the monitoring cycle: rollups (5 min, hour, day), retention, outages, the "
        "stability gate and alerts. Run it every few minutes (systemd timer or cron), or "
        "with --every to loop."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="queue it for the task worker instead of running it here",
        )
        parser.add_argument(
            "--every",
            type=float,
            metavar="SECONDS",
            help="run again and again, waiting this long between runs",
        )

    def handle(self, *args, enqueue=False, every=None, **options):
        if enqueue:
            progress = enqueue_cycle(label="Monitoring rollup (command)")
            self.stdout.write(f"queued (progress {progress.pk})")
            return
        while True:
            try:
                summary = run_cycle()
            except CycleBusy as exc:
                self.stderr.write(str(exc))
            else:
                self.stdout.write(" ".join(f"{k}={v}" for k, v in summary.items()))
            if not every:
                return
            time.sleep(every)
