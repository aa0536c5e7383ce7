"""Seed the demo (six agencies, their users and requests), then print where to go."""

import os
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from console.demo import seed_demo
from tenants.links import portal_url


def table(rows: list[list[str]]) -> list[str]:
    """Plain-text columns, padded to the widest cell."""
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        for row in rows
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return [line.rstrip() for line in lines]


class Command(BaseCommand):
    help = "Seed the demo agencies, users and requests (idempotent) and print the logins."

    def add_arguments(self, parser):
        parser.add_argument(
            "--on-database-url",
            action="store_true",
            help="Seed the database DATABASE_URL names (refused without this: the demo's "
            "agencies, users and password would land beside real ones).",
        )

    def handle(self, *args, **options):
        # The demo's citizens and their mobile numbers are invented: no text may leave.
        if settings.SMS_GATEWAY.endswith(".KavenegarGateway"):
            raise CommandError(
                "The demo is not seeded while SMS go out through Kavenegar: its requests "
                "would text invented mobile numbers. Unset KAVENEGAR_API_KEY / SMS_GATEWAY."
            )
        if os.environ.get("DATABASE_URL") and not options["on_database_url"]:
            raise CommandError(
                "DATABASE_URL names a database of its own: the demo is only seeded there "
                "with --on-database-url (its agencies' slugs and users could meet real ones)."
            )
        username = settings.DEMO_ADMIN_USERNAME
        password = settings.DEMO_ADMIN_PASSWORD
        self.stdout.write("Seeding the demo (one line per agency)…")
        started = time.monotonic()
        demo = seed_demo(admin_username=username, admin_password=password, stdout=self.stdout)
        seconds = time.monotonic() - started
        summary = "seeded" if demo.changed else "already seeded, nothing changed"
        self.stdout.write(self.style.SUCCESS(f"\nPanjereh is ready ({summary}, {seconds:.1f} s):"))
        self.stdout.write(f"  national portal: {portal_url()}   admin: {portal_url()}admin/")
        self.stdout.write("")
        rows = [["agency", "kind", "site (admin: /admin/)"]]
        rows += [
            [agency.name_fa, str(agency.get_kind_display()), agency.site_url]
            for agency in demo.agencies
        ]
        for line in table(rows):
            self.stdout.write("  " + line)
        self.stdout.write("")
        rows = [["where", "user name", "roles"]]
        for where, user, roles in demo.users:
            place = "national portal" if where == "national" else "every agency above"
            rows.append([place, user, "، ".join(roles)])
        for line in table(rows):
            self.stdout.write("  " + line)
        self.stdout.write(f"\n  password of every demo user: {password}")
