"""A report as tables: what the screen shows under its charts, and what CSV and XLSX
exports hold (the same rows, raw values; the screen writes them in Persian digits)."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from tenants.constants import ServiceLevel


@dataclass
class Table:
    key: str
    title: str
    headers: list[str]
    rows: list[list]


def _days(value):
    return None if value is None else round(value, 1)


def _share(value):
    return None if value is None else round(value * 100, 1)


def figure_headers() -> list[str]:
    return [
        _("Received"),
        _("Accepted"),
        _("Answered"),
        _("Rejected"),
        _("Pending"),
        _("Overdue"),
        _("Answered on time (%)"),
        _("Mean working days to answer"),
        _("Median working days to answer"),
        _("Mean promised working days"),
    ]


def figure_cells(row: dict) -> list:
    return [
        row["received"],
        row["accepted"],
        row["answered"],
        row["rejected"],
        row["pending"],
        row["overdue"],
        _share(row["on_time_share"]),
        _days(row["mean_days"]),
        _days(row["median_days"]),
        _days(row["mean_promised_days"]),
    ]


def level_label(level: str) -> str:
    try:
        return str(ServiceLevel(level).label)
    except ValueError:
        return level or _("Not recorded")


def tables(report: dict) -> list[Table]:
    summary = report["summary"]
    figures = Table(
        "summary",
        _("Headline figures"),
        [_("Figure"), _("Value")],
        [
            *zip(figure_headers(), figure_cells(summary), strict=True),
            (_("Overdue and still open"), summary["overdue_open"]),
            (_("Answered late"), summary["answered_late"]),
        ],
    )
    trend = Table(
        "trend",
        _("Month by month"),
        [_("Month"), _("Received"), _("Answered")],
        [[month["label"], month["received"], month["answered"]] for month in report["trend"]],
    )
    levels = Table(
        "levels",
        _("HQ and field units"),
        [_("Level"), *figure_headers()],
        [[level_label(row["level"]), *figure_cells(row)] for row in report["levels"]],
    )
    result = [figures, trend, levels]
    if report["agencies"]:
        result.append(
            Table(
                "agencies",
                _("Agencies ranked by timeliness"),
                [_("Rank"), _("Agency"), *figure_headers()],
                [
                    [rank, row["agency_name"], *figure_cells(row)]
                    for rank, row in enumerate(report["agencies"], start=1)
                ],
            )
        )
    if report["services"]:
        result.append(
            Table(
                "services",
                _("Services"),
                [_("Service"), *figure_headers()],
                [[row["service_title"], *figure_cells(row)] for row in report["services"]],
            )
        )
    surveys, complaints = report["surveys"], report["complaints"]
    result.append(
        Table(
            "citizens",
            _("Surveys and complaints"),
            [_("Figure"), _("Value")],
            [
                (_("Survey answers"), surveys["responses"]),
                (_("Mean overall satisfaction (1–5)"), _days(surveys["overall"])),
                (_("Mean staff conduct (1–5)"), _days(surveys["staff_conduct"])),
                (_("Mean clarity of information (1–5)"), _days(surveys["clarity"])),
                (_("Said the promised time was kept"), surveys["time_kept"]),
                (_("Complaints filed"), complaints["filed"]),
                (_("Complaints answered"), complaints["answered"]),
                (_("Mean working days to answer a complaint"), _days(complaints["mean_days"])),
            ],
        )
    )
    return result
