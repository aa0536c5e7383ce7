"""Onboard a government agency: schema, domain, site, home page, editor invitation."""

import time

from django.core.management.base import BaseCommand, CommandError

from tenants import services
from tenants.constants import AgencyKind, Province, ServiceLevel


class Command(BaseCommand):
    help = "Onboard a new agency on <slug>.BASE_DOMAIN and print its first editor's invitation."

    def add_arguments(self, parser):
        parser.add_argument("slug", help="Sub-domain of the agency: lower-case Latin, digits, '-'.")
        parser.add_argument("--name", required=True, help="Persian name of the agency.")
        parser.add_argument("--name-en", default="", help="English name.")
        parser.add_argument("--kind", default=AgencyKind.ORGANIZATION, choices=AgencyKind.values)
        parser.add_argument("--province", default="", choices=["", *Province.values])
        parser.add_argument("--level", default=ServiceLevel.HQ, choices=ServiceLevel.values)
        parser.add_argument(
            "--parent", default="", help="Slug of the parent agency (it may be onboarded later)."
        )
        parser.add_argument("--editor-email", default="", help="Email of the first editor.")

    def handle(self, *args, **options):
        started = time.perf_counter()
        try:
            result = services.onboard_agency(
                slug=options["slug"],
                name_fa=options["name"],
                name_en=options["name_en"],
                kind=options["kind"],
                province=options["province"],
                level=options["level"],
                # Need not be on Panjereh yet: linked when it is onboarded.
                parent_slug=options["parent"],
                editor_email=options["editor_email"],
            )
        except services.OnboardingError as exc:
            raise CommandError(
                "\n".join(f"{field}: {msg}" for field, msgs in exc.errors.items() for msg in msgs)
            ) from exc
        elapsed = time.perf_counter() - started
        agency = result.agency
        self.stdout.write(
            self.style.SUCCESS(f"Onboarded {agency.name_fa} ({agency.slug}) in {elapsed:.2f} s")
        )
        self.stdout.write(f"  site:       {agency.site_url}")
        self.stdout.write(f"  admin:      {agency.site_url}admin/")
        self.stdout.write(f"  invitation: {result.invitation_url}")
        if result.linked_children:
            self.stdout.write(f"  children:   {', '.join(result.linked_children)}")
