"""Inspect, release or stop the embedded PostgreSQL server under var/pg.

``manage.py`` does not start the server for this command: ``status`` only looks.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from tenants.embedded_server import (
    embedded_data_dir,
    embedded_server_status,
    stop_embedded_server,
)


class Command(BaseCommand):
    help = (
        "status: where the embedded server is and whether it runs. release: forget "
        "processes that died without releasing it, and stop it if no live process uses "
        "it. stop: stop it now."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["status", "release", "stop"])

    def handle(self, *args, **options):
        if not settings.EMBEDDED_DATABASE:
            raise CommandError("DATABASE_URL is set: no embedded server is in use.")
        pgdata = embedded_data_dir(settings.VAR_DIR)
        info = settings.DATABASES["default"]
        action = options["action"]
        if action == "status":
            running = embedded_server_status(settings.VAR_DIR)
            state = f"running (pid {running.pid})" if running else "not running"
            self.stdout.write(
                f"data: {pgdata}\nsocket: {info['HOST']}\nport: {info['PORT']}\nserver: {state}"
            )
            return
        from django.db import connections

        connections.close_all()
        if action == "release":
            stopped = stop_embedded_server(settings.VAR_DIR, only_if_unused=True)
            self.stdout.write(
                "Embedded PostgreSQL released"
                + (": no process used it, stopped." if stopped else ".")
            )
        elif stop_embedded_server(settings.VAR_DIR, only_if_unused=False):
            self.stdout.write(self.style.SUCCESS("Embedded PostgreSQL stopped."))
        else:
            self.stdout.write("Embedded PostgreSQL was not running.")
