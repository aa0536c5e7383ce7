"""Work off the platform's outboxes (search indexing, SMS) in the background."""

import signal
import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import close_old_connections
from django.utils.module_loading import import_string


class Command(BaseCommand):
    help = "Work off the outboxes listed in WORKER_QUEUES until stopped (or once with --once)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--once", action="store_true", help="Work off what is due now, then exit."
        )

    def handle(self, *args, once=False, **options):
        queues = [(path, import_string(path)) for path in settings.WORKER_QUEUES]
        stopping = []
        if not once:
            signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
            self.stdout.write(f"Worker started: {', '.join(path for path, _ in queues)}")
        try:
            while not stopping:
                handled = 0
                for path, work_off in queues:
                    try:
                        count = work_off()
                    except Exception as error:  # e.g. the database restarting: try again later
                        if once:
                            raise
                        self.stderr.write(f"{path} failed, retrying shortly: {error}")
                        continue
                    handled += count
                    if count:
                        self.stdout.write(f"{path}: {count} done")
                if once:
                    break
                if not handled:
                    time.sleep(settings.WORKER_POLL_SECONDS)
                close_old_connections()  # a lost or stale connection is reopened next round
        except KeyboardInterrupt:
            pass
        if not once:
            self.stdout.write("Worker stopped.")
