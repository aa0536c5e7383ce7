"""Bring the compliance summary up to date now (the nightly job does it for every agency)."""

from django.core.management.base import BaseCommand, CommandError

from compliance.services import refresh_agency_compliance
from tenants.models import Agency


class Command(BaseCommand):
    help = "Refresh the information-package compliance summary of every active agency (or one)."

    def add_arguments(self, parser):
        parser.add_argument("slug", nargs="?", help="only this agency")

    def handle(self, *args, slug=None, **options):
        agencies = Agency.objects.filter(is_active=True).order_by("slug")
        if slug:
            agencies = Agency.objects.filter(slug=slug)
            if not agencies.exists():
                raise CommandError(f"No agency {slug!r}.")
        for agency in agencies:
            count = refresh_agency_compliance(agency)
            self.stdout.write(f"{agency.slug}: {count} services")
