"""The two official reports, one click each, built from the texts' wording:

- directive 1538588 (میز خدمت): every agency reports the results of carrying it out every
  six months to the Administrative and Recruitment Organisation, which reports each
  agency's progress to the High Administrative Council;
- circular 7193 (item 9 and 10): every three months the agency's performance-evaluation
  and complaints unit reports the service desk's performance to the agency's head, who
  sends it to the President's deputy for management development.

Each as a PDF (WeasyPrint, Persian, right to left) and an XLSX, per agency or national.
"""

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from persian.dates import jalali

from . import selectors
from .constants import PeriodKind
from .exports import as_xlsx
from .periods import Period
from .tables import Table, figure_cells, figure_headers, level_label, tables

# The PDF's stylesheet (its @font-face names our Vazirmatn relative to the file).
STYLESHEET = Path(__file__).resolve().parent / "official.css"


@dataclass(frozen=True)
class OfficialReport:
    key: str
    period_kind: str
    number: str
    title: str
    basis: str
    addressee: str


def definitions() -> dict[str, OfficialReport]:
    return {
        "directive": OfficialReport(
            "directive",
            PeriodKind.HALF,
            "۱۵۳۸۵۸۸",
            _("Six-monthly report on carrying out the service-desk directive"),
            _(
                "Directive 1538588 (service desk): every executive agency sends the results "
                "of what it did under the directive every six months, so that the "
                "Administrative and Recruitment Organisation can report each agency's "
                "progress to the High Administrative Council."
            ),
            _("To: the Administrative and Recruitment Organisation of the country"),
        ),
        "circular": OfficialReport(
            "circular",
            PeriodKind.QUARTER,
            "۷۱۹۳",
            _("Quarterly report on the service desk's performance"),
            _(
                "Circular 7193, items 9 and 10: every three months the performance-evaluation "
                "and complaints unit reports the service desk's performance to the agency's "
                "head, who sends the agency's report to the President's Deputy for "
                "Management Development and Human Capital."
            ),
            _("To: the head of the agency, for the President's Deputy for Management Development"),
        ),
    }


def _channel_label(channel: str) -> str:
    from service_requests.constants import Channel

    if channel == Channel.DESK:
        return _("In-person service desk")
    return _("Electronic service desk")


def build(which: str, period: Period, filters: selectors.Filters, *, agency_name: str) -> dict:
    """The report's content: the period's figures under the texts' headings."""
    definition = definitions()[which]
    report = selectors.report(filters, ranking=filters.agency_id is None)
    channels = selectors.by_channel(filters)
    sections = [
        Table(
            "channels",
            _("Electronic and in-person service desk"),
            [_("Desk"), *figure_headers()],
            [[_channel_label(row["channel"]), *figure_cells(row)] for row in channels],
        ),
        *tables(report),
    ]
    if which == "circular":
        summary = report["summary"]
        sections.insert(
            0,
            Table(
                "duties",
                _("The desk's duties (circular 7193, item 2)"),
                [_("Duty"), _("Figure")],
                [
                    (_("(b) Requests and documents received"), summary["received"]),
                    (
                        _("(c) Requests done, or the time of the final answer announced"),
                        summary["accepted"],
                    ),
                    (_("(d) Results received from the units and announced"), summary["answered"]),
                    (_("Answered later than the time announced"), summary["answered_late"]),
                    (_("Still open at the end of the quarter"), summary["pending"]),
                ],
            ),
        )
    return {
        "definition": definition,
        "period": period,
        "agency_name": agency_name,
        "report": report,
        "sections": sections,
        "made_on": jalali(timezone.now(), "%d %B %Y، %H:%M"),
        "level_label": level_label,
    }


def as_pdf(content: dict) -> bytes:
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    with translation.override("fa"):
        html = render_to_string("reports/official.html", content)
    # A stylesheet's @font-face (our Vazirmatn) is read only with a font configuration.
    fonts = FontConfiguration()
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(
        stylesheets=[CSS(filename=str(STYLESHEET), font_config=fonts)], font_config=fonts
    )


def as_official_xlsx(content: dict) -> bytes:
    definition = content["definition"]
    title = f"{definition.title} ({definition.number}) – {content['agency_name']} – {content['period'].label}"
    return as_xlsx(title, content["sections"])
