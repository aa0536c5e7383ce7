"""Recreate the cross-agency search index from every agency's published services."""

import time

from django.core.management.base import BaseCommand

from search.services import rebuild_index


class Command(BaseCommand):
    help = "Re-index every published service of every agency."

    def handle(self, *args, **options):
        started = time.perf_counter()

        def progress(number, total, slug, services):
            width = 30
            filled = round(width * number / total)
            self.stdout.write(
                f"[{'#' * filled}{'.' * (width - filled)}] {number}/{total} {slug}: {services} services"
            )

        entries = rebuild_index(progress=progress)
        self.stdout.write(
            self.style.SUCCESS(
                f"Indexed {entries} entries in {time.perf_counter() - started:.1f} s."
            )
        )
