"""Export an agency's published catalogue (service-catalog/1)."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from catalog_pages.catalog_format.convert import dumps
from catalog_pages.selectors import export_catalogue
from tenants.models import Agency


class Command(BaseCommand):
    help = "Write an agency's catalogue as JSON (standard output without -o)."

    def add_arguments(self, parser):
        parser.add_argument("agency", help="The agency's slug.")
        parser.add_argument("-o", "--output", type=Path)

    def handle(self, *args, **options):
        agency = Agency.objects.filter(slug=options["agency"]).first()
        if agency is None:
            raise CommandError(f"No agency has the slug {options['agency']!r}.")
        text = dumps(export_catalogue(agency))
        if options["output"]:
            options["output"].write_text(text, encoding="utf-8")
            self.stderr.write(f"Wrote {options['output']}")
        else:
            sys.stdout.write(text)
