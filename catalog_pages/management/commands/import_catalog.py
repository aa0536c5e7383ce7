"""Import agencies' catalogue files (service-catalog/1): one file, or every *.json of a folder."""

import contextlib
import shutil
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from catalog_pages.catalog_format.validation import Problem
from catalog_pages.services import ImportReport, import_catalogue


class ProgressBar:
    """One line on a terminal, rewritten in place; silent when the stream is not a terminal."""

    WIDTH = 30

    def __init__(self, stream, total: int):
        self.stream = stream
        self.total = total
        self.shown = stream.isatty()

    def show(self, done: float, label: str) -> None:
        if not self.shown:
            return
        filled = round(self.WIDTH * done / self.total)
        line = f"[{'#' * filled}{'.' * (self.WIDTH - filled)}] {int(done)}/{self.total} {label}"
        columns = shutil.get_terminal_size().columns - 1
        self.stream.write("\r" + line[:columns].ljust(columns), style_func=str, ending="")
        self.stream.flush()

    def close(self) -> None:
        if self.shown:
            self.stream.write("", style_func=str)


class Command(BaseCommand):
    help = (
        "Validate catalogue files and create or update each agency and its services: one "
        "file, or every *.json file of a folder (in the order of their names). A file with "
        "any error changes nothing and every problem is listed with its JSON path; the other "
        "files of a folder are still imported, and the exit status is 1."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="A catalogue file, or a folder of them.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Validate and report, change nothing."
        )

    def handle(self, *args, **options):
        path: Path = options["path"]
        if path.is_dir():
            self.import_folder(path, dry_run=options["dry_run"])
        else:
            self.import_file(path, dry_run=options["dry_run"])

    # --- one file ------------------------------------------------------------------------

    def import_file(self, path: Path, *, dry_run: bool) -> None:
        raw = self.read(path)

        def progress(index, total, slug, status):
            width = 30
            filled = round(width * index / total)
            self.stdout.write(
                f"[{'#' * filled}{'.' * (width - filled)}] {index}/{total} {slug}: {status}"
            )

        report = import_catalogue(raw, dry_run=dry_run, progress=progress)
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
        if report.linked_children:
            self.stdout.write(
                f"{prefix}linked {', '.join(report.linked_children)} to {agency.slug} as its "
                "child agencies"
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"{prefix}{len(report.created)} created, {len(report.updated)} updated, "
                f"{len(report.unchanged)} unchanged, {len(report.unpublished)} unpublished."
            )
        )
        self.write_drafts(report)

    def read(self, path: Path) -> bytes:
        try:
            return path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}") from exc

    def write_drafts(self, report: ImportReport, prefix: str = "") -> None:
        for slug, gaps in report.drafts.items():
            self.stdout.write(
                self.style.WARNING(
                    f"  {prefix}{slug} saved as a draft; its package lacks: {', '.join(gaps)}"
                )
            )

    # --- a folder ------------------------------------------------------------------------

    def import_folder(self, folder: Path, *, dry_run: bool) -> None:
        """Every *.json file, by name; a file may name a parent that a later file brings.

        A dry run imports them all in one transaction that is rolled back at the end, so
        that later files see the agencies of earlier ones, as they would for real.
        """
        files = sorted(path for path in folder.glob("*.json") if path.is_file())
        if not files:
            raise CommandError(f"{folder} has no *.json file.")
        bar = ProgressBar(self.stderr, len(files))
        reports: list[tuple[Path, ImportReport]] = []
        with transaction.atomic() if dry_run else contextlib.nullcontext():
            for number, path in enumerate(files):
                bar.show(number, path.name)

                def progress(index, total, slug, status, number=number, path=path):
                    bar.show(number + index / total, f"{path.name}: {slug}")

                reports.append((path, self.import_one_of_many(path, progress)))
                bar.show(number + 1, path.name)
            if dry_run:
                transaction.set_rollback(True)
        bar.close()
        self.write_summary(reports, dry_run=dry_run)
        failed = [path.name for path, report in reports if not report.ok]
        if failed:
            raise CommandError(
                f"{len(failed)} of {len(files)} files failed and changed nothing: "
                + ", ".join(failed)
            )

    def import_one_of_many(self, path: Path, progress) -> ImportReport:
        try:
            raw = path.read_bytes()
        except OSError as exc:
            return ImportReport(errors=[Problem("$", f"cannot read the file: {exc.strerror}")])
        # Each file in its own transaction (a savepoint in a dry run): one that fails
        # leaves the others' work alone.
        try:
            return import_catalogue(raw, progress=progress)
        except Exception as exc:  # noqa: BLE001 - reported with the file; the others go on
            return ImportReport(errors=[Problem("$", f"{type(exc).__name__}: {exc}")])

    def write_summary(self, reports, *, dry_run: bool) -> None:
        headings = (
            "file",
            "agency",
            "created",
            "updated",
            "unchanged",
            "unpublished",
            "warnings",
            "errors",
        )
        rows = [
            (
                path.name,
                report.agency.slug if report.agency else "—",
                *(
                    str(len(items))
                    for items in (
                        report.created,
                        report.updated,
                        report.unchanged,
                        report.unpublished,
                        report.warnings,
                        report.errors,
                    )
                ),
            )
            for path, report in reports
        ]
        widths = [max(len(row[i]) for row in (headings, *rows)) for i in range(len(headings))]

        def line(cells):
            return "  ".join(
                cell.ljust(width) if i < 2 else cell.rjust(width)
                for i, (cell, width) in enumerate(zip(cells, widths, strict=True))
            ).rstrip()

        if dry_run:
            self.stdout.write("Dry run, nothing saved. The files would have done this:")
        self.stdout.write(line(headings))
        self.stdout.write(line(["-" * width for width in widths]))
        for (_path, report), row in zip(reports, rows, strict=True):
            style = self.style.SUCCESS if report.ok else self.style.ERROR
            self.stdout.write(line(row), style_func=style)
        for path, report in reports:
            if report.agency_created:
                self.stdout.write(f"{path.name}: onboarded {report.agency.slug}")
            if report.linked_children:
                self.stdout.write(
                    f"{path.name}: linked {', '.join(report.linked_children)} to "
                    f"{report.agency.slug} as its child agencies"
                )
            self.write_drafts(report, prefix=f"{path.name}: ")
            for warning in report.warnings:
                self.stderr.write(f"{path.name}: warning: {warning}", style_func=self.style.WARNING)
            for problem in report.errors:
                self.stderr.write(f"{path.name}: error: {problem}")
