"""Import an agency's catalogue file (service-catalog/1)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from catalog_pages.services import import_catalogue


class Command(BaseCommand):
    help = (
        "Validate a catalogue file and create or update the agency and its services. "
        "Any error: nothing changes, every problem is listed with its JSON path."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--dry-run", action="store_true", help="Validate and report, change nothing."
        )

    def handle(self, *args, **options):
        path: Path = options["file"]
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}") from exc

        def progress(index, total, slug, status):
            width = 30
            filled = round(width * index / total)
            self.stdout.write(
                f"[{'#' * filled}{'.' * (width - filled)}] {index}/{total} {slug}: {status}"
            )

        report = import_catalogue(raw, dry_run=options["dry_run"], progress=progress)
        for warning in report.warnings:
            self.stderr.write(f"warning: {warning}")
        if not report.ok:
            for problem in report.errors:
                self.stderr.write(f"error: {problem}")
            raise CommandError(f"{path}: {len(report.errors)} problem(s); nothing was imported.")
        prefix = "Dry run, nothing saved: would have " if report.dry_run else ""
        agency = report.agency
        if report.agency_created:
            self.stdout.write(f"{prefix}onboarded {agency.name_fa} ({agency.slug})")
        self.stdout.write(
            self.style.SUCCESS(
                f"{prefix}{len(report.created)} created, {len(report.updated)} updated, "
                f"{len(report.unchanged)} unchanged, {len(report.unpublished)} unpublished."
            )
        )
        for slug, gaps in report.drafts.items():
            self.stdout.write(
                self.style.WARNING(
                    f"  {slug} saved as a draft; its package lacks: {', '.join(gaps)}"
                )
            )
