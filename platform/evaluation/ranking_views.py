"""The ranking's screens on the national portal: ranked tables with a chart, an agency's
breakdown, the XLSX export and the weights (national administrators only).

National administrators see every agency; provincial supervisors and inspectors only
those of their provinces (``ranking.rankable_agencies``)."""

import io

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from persian.dates import to_persian_digits
from persian.digits import parse_whole_number
from tenants.constants import NationalRole
from tenants.guards import check_national, has_national_role

from . import ranking, services
from .constants import Component, RankBy, Scope
from .forms import WeightsForm
from .views import NATIONAL_READERS


def _choice(request, name, choices, default):
    value = request.GET.get(name, default)
    return value if value in choices else default


def _span(request):
    """The span asked for: a Jalali year, or the current half-year so far."""
    current, _created = services.open_current_period()
    scope = _choice(request, "scope", Scope.values, Scope.YEAR)
    years = ranking.ranked_years()
    if scope == Scope.RUNNING:
        return ranking.running_span(current), years
    year = parse_whole_number(request.GET.get("year"), max_digits=4)
    if year not in years:
        year = current.year
    return ranking.year_span(year), years


def _query(span, by, only=None):
    from urllib.parse import urlencode

    query = {"scope": span.scope, "year": span.year, "by": by}
    if only is not None:
        query["of"] = only
    return urlencode(query)


def _ranked(request):
    check_national(request, NATIONAL_READERS)
    span, years = _span(request)
    by = _choice(request, "by", RankBy.values, RankBy.KIND)
    groups = dict(ranking.group_choices(by))
    only = request.GET.get("of")
    only = only if only in groups else None
    scores = ranking.scores_for(ranking.rankable_agencies(request.user), span)
    return span, years, by, only, scores


PREVIEW = 10  # rows of each table when every table is shown
PER_PAGE = 50  # rows per page of one table


def ranking_index(request):
    span, years, by, only, scores = _ranked(request)
    tables = ranking.tables(scores, by, only)
    page = None
    if only is not None and tables:
        page = Paginator(tables[0].rows, PER_PAGE).get_page(
            parse_whole_number(request.GET.get("p"), max_digits=6)
        )
        tables[0].shown = list(page)
    else:
        for table in tables:
            table.shown = table.rows[:PREVIEW]
    shown = tables[0].rows if only is not None and tables else ranking.rank(scores)
    bars, height = ranking.chart_bars(shown)
    weights = ranking.weights_in_force()
    return render(
        request,
        "evaluation/ranking.html",
        {
            "span": span,
            "years": [(year, to_persian_digits(year)) for year in years],
            "scopes": Scope.choices,
            "by": by,
            "bys": RankBy.choices,
            "only": only,
            "groups": ranking.group_choices(by),
            "tables": tables,
            "bars": bars,
            "chart_height": height,
            "chart_label": tables[0].label if only is not None and tables else "",
            "components": [
                (str(label), weights[value], to_persian_digits(weights[value]))
                for value, label in Component.choices
            ],
            "weights_row": ranking.weights_row(),
            "may_set_weights": has_national_role(request.user, (NationalRole.ADMINISTRATOR,)),
            "query": _query(span, by, only),
            "span_query": _query(span, by),
            "page": page,
        },
    )


def ranking_agency(request, slug):
    span, _years, by, _only, scores = _ranked(request)
    found = next((score for score in scores if score.agency.slug == slug), None)
    if found is None:
        raise Http404
    group = ranking._group_of(found.agency, by)
    table = ranking.tables(scores, by, group)
    row = (
        next((r for r in table[0].rows if r.agency.pk == found.agency.pk), None) if table else None
    )
    return render(
        request,
        "evaluation/ranking_agency.html",
        {
            "span": span,
            "found": row or found,
            "group_label": dict(ranking.group_choices(by)).get(group, ""),
            "by": by,
            "query": _query(span, by),
        },
    )


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def ranking_export(request):
    from openpyxl import Workbook
    from openpyxl.styles import Font

    span, _years, by, only, scores = _ranked(request)
    book = Workbook()
    sheet = book.active
    sheet.title = _("Ranking")[:31]
    sheet.sheet_view.rightToLeft = True
    group_header = _("Category") if by == RankBy.KIND else _("Province")
    sheet.append(
        [
            group_header,
            _("Rank"),
            _("Agency"),
            _("Province"),
            _("Score"),
            *[str(label) for _value, label in Component.choices],
        ]
    )
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for table in ranking.tables(scores, by, only):
        for row in table.rows:
            values = [row.part(value).value for value in Component.values]
            sheet.append(
                [
                    table.label,
                    row.rank,
                    row.agency.name_fa,
                    row.agency.get_province_display() if row.agency.province else "",
                    row.score,
                    *values,
                ]
            )
            for cell in sheet[sheet.max_row][4:]:
                cell.number_format = "0.0%"
    for column, width in zip("ABCDEFGHI", (22, 8, 40, 18, 10, 14, 14, 14, 14), strict=True):
        sheet.column_dimensions[column].width = width
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(out.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = (
        f'attachment; filename="ranking-{span.scope}-{span.year}-{by}.xlsx"'
    )
    return response


def ranking_weights(request):
    check_national(request)  # national administrators only
    row = ranking.weights_row()
    weights = ranking.weights_in_force()
    if request.method != "POST":
        form = WeightsForm(
            initial={key: to_persian_digits(value) for key, value in weights.items()}
        )
        return render(request, "evaluation/ranking_weights.html", {"form": form, "row": row})
    form = WeightsForm(request.POST)
    if form.is_valid():
        try:
            row, before = services.set_weights(form.cleaned_data, actor=request.user.get_username())
        except services.EvaluationError as error:
            form.add_error(None, str(error))
        else:
            log(
                instance=row,
                action="panjereh.evaluation.weights",
                user=request.user,
                data={
                    "before": before,
                    "after": {value: getattr(row, value) for value in Component.values},
                },
            )
            messages.success(request, _("The ranking's weights were saved."))
            from django.urls import reverse

            return redirect(reverse("evaluation_ranking"))
    messages.error(request, _("Please correct the errors below."))
    return render(
        request, "evaluation/ranking_weights.html", {"form": form, "row": row}, status=400
    )
