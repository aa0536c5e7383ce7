"""Search the single window from the command line (for scripts and checks)."""

import json

from django.core.management.base import BaseCommand, CommandError

from search.backends import get_backend


class Command(BaseCommand):
    help = "Print the services ranked for a query."

    def add_arguments(self, parser):
        parser.add_argument("query")
        parser.add_argument("--limit", type=int, default=10)
        parser.add_argument("--json", action="store_true", help="Print JSON for scripting.")

    def handle(self, *args, **options):
        if not options["query"].strip():
            raise CommandError("Give a query.")
        results = get_backend().search(options["query"], limit=max(1, options["limit"]))
        rows = [
            {"agency": hit.agency, "service": hit.service, "title": hit.title, "score": hit.score}
            for hit in results.hits
        ]
        if options["json"]:
            self.stdout.write(json.dumps(rows, ensure_ascii=False))
            return
        if not rows:
            self.stdout.write("No service matched.")
        for number, row in enumerate(rows, start=1):
            self.stdout.write(
                f"{number:>3}. {row['title']}  [{row['agency']}/{row['service']}] {row['score']}"
            )
