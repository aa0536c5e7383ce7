"""The national portal's search page and JSON API, and the national report of what
citizens look for and do not find (public schema)."""

import csv
import math
import re
from datetime import date
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from catalog_pages.constants import Audience, Delivery
from persian.dates import jalali, percent
from persian.digits import parse_whole_number, to_ascii_digits
from tenants.constants import NationalRole, Province, ServiceLevel
from tenants.guards import national_only
from tenants.models import Agency
from tenants.selectors import active_agencies

from . import selectors, services
from .backends import FACETS, Filters, get_backend

PER_PAGE = 20
MAX_PAGE = 500
MAX_LIMIT = 100
# Elasticsearch answers at most 10,000 hits deep (index.max_result_window).
MAX_RESULT_WINDOW = 10_000
MAX_QUERY_LENGTH = 200
# Page numbers shown on each side of the current page (and the first and last always).
PAGE_WINDOW = 2
FILTER_NAMES = FACETS
# Control characters (NUL above all: PostgreSQL refuses it in text) mean nothing in a query.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")

# What a citizen is told about how far a service is online, on every result.
DELIVERY_BADGES = {
    Delivery.FULL: gettext_lazy("Entirely online"),
    Delivery.PARTIAL: gettext_lazy("Apply online, then visit in person"),
    Delivery.IN_PERSON: gettext_lazy("In person only"),
}

# National roles that may read the query-log report (it has nothing to change).
REPORT_ROLES = (NationalRole.ADMINISTRATOR, NationalRole.PROVINCIAL_SUPERVISOR)
REPORT_PER_PAGE = 50


def _text(request, name: str, max_length: int) -> str:
    return _CONTROL.sub(" ", request.GET.get(name, ""))[:max_length].strip()


def _filters(request) -> Filters:
    return Filters(**{name: _text(request, name, 40) for name in FILTER_NAMES})


def _query(request) -> str:
    return _text(request, "q", MAX_QUERY_LENGTH)


def _page_number(request) -> int:
    """The ``page`` asked for, 1 or more; anything else (other scripts' digits, a
    5,000-digit number, text) shows the first page."""
    number = parse_whole_number(request.GET.get("page", ""), max_digits=6) or 1
    return max(1, number)


class _Links:
    """Links to this search with one thing changed: the query, the other filters and
    the log entry (so a search paged or narrowed is logged once) are kept."""

    def __init__(self, query: str, filters: Filters, log_token: str):
        self.query, self.filters, self.log_token = query, filters, log_token

    def __call__(self, *, page: int = 1, **changes) -> str:
        params = {"q": self.query}
        for name in FILTER_NAMES:
            value = changes[name] if name in changes else getattr(self.filters, name)
            if value:
                params[name] = value
        if page > 1:
            params["page"] = page
        if self.log_token:
            params["log"] = self.log_token
        return "?" + urlencode(params)


def _labels(facets: dict, filters: Filters) -> dict[str, dict]:
    """Human labels of every facet value shown and every filter chosen."""
    slugs = set(facets.get("agency", {})) | ({filters.agency} if filters.agency else set())
    agencies = {
        agency.slug: agency.name  # in the page's language
        for agency in Agency.objects.filter(slug__in=slugs).only("slug", "name_fa", "name_en")
    }
    return {
        "agency": agencies,
        "level": dict(ServiceLevel.choices),
        "delivery": {key: str(label) for key, label in DELIVERY_BADGES.items()},
        "audience": dict(Audience.choices),
        "province": dict(Province.choices),
    }


def _headings() -> dict[str, str]:
    return {
        "agency": _("Agency"),
        "level": _("Level"),
        "delivery": _("Delivery"),
        "audience": _("Who can apply"),
        "province": _("Province"),
    }


def _facet_groups(facets: dict, filters: Filters, links: _Links, labels: dict) -> list[dict]:
    """The facets as filter groups: every value with its count and a link that
    chooses it (or, when chosen, removes it)."""
    headings = _headings()
    groups = []
    for name in FILTER_NAMES:
        counts = facets.get(name) or {}
        chosen = getattr(filters, name)
        if len(counts) < 2 and not chosen:
            continue  # a facet with one value narrows nothing
        values = []
        for value, count in counts.items():
            active = value == chosen
            values.append(
                {
                    "value": value,
                    "label": labels[name].get(value, value),
                    "count": count,
                    "active": active,
                    "href": links(**{name: "" if active else value}),
                }
            )
        groups.append({"name": name, "heading": headings[name], "values": values})
    return groups


def _chosen_filters(filters: Filters, links: _Links, labels: dict) -> list[dict]:
    headings = _headings()
    return [
        {
            "name": name,
            "heading": headings[name],
            "label": labels[name].get(getattr(filters, name), getattr(filters, name)),
            "remove": links(**{name: ""}),
        }
        for name in FILTER_NAMES
        if getattr(filters, name)
    ]


def _pages(page_number: int, page_count: int, links: _Links) -> list[dict | None]:
    """Numbered pages around the current one, the first and the last; None for a gap."""
    shown = {1, page_count} | set(
        range(max(1, page_number - PAGE_WINDOW), min(page_count, page_number + PAGE_WINDOW) + 1)
    )
    pages, previous = [], 0
    for number in sorted(shown):
        if number - previous > 1:
            pages.append(None)
        pages.append(
            {"number": number, "href": links(page=number), "current": number == page_number}
        )
        previous = number
    return pages


def _hit_view(hit) -> dict:
    return {
        "hit": hit,
        "badge": DELIVERY_BADGES.get(hit.delivery, ""),
        "can_apply": bool(hit.apply_url)
        and not hit.unavailable
        and hit.delivery != Delivery.IN_PERSON,
    }


@require_GET
def search_page(request):
    query = _query(request)
    filters = _filters(request)
    context = {"query": query, "filters": filters}
    if not query:
        return render(request, "search/search.html", context)
    page_number = _page_number(request)
    # Never deeper than MAX_PAGE (the backends' window); a page past the last is said so.
    offset = (min(page_number, MAX_PAGE) - 1) * PER_PAGE
    results = get_backend().search(query, filters=filters, limit=PER_PAGE, offset=offset)
    log_id = services.log_id_from(request.GET.get("log", ""))
    log = selectors.query_log(log_id, query) or services.log_query(query, results)
    token = services.log_token(log)
    links = _Links(query, filters, token)
    labels = _labels(results.facets, filters)
    page_count = min(math.ceil(results.total / PER_PAGE), MAX_PAGE)
    context.update(
        results=results,
        hits=[_hit_view(hit) for hit in results.hits],
        related=[_hit_view(hit) for hit in results.related],
        page_number=page_number,
        page_count=page_count,
        out_of_range=bool(results.total) and page_number > page_count,
        log_token=token,
        offset=offset,
        facet_groups=_facet_groups(results.facets, filters, links, labels),
        chosen_filters=_chosen_filters(filters, links, labels),
        without_filters=links(**dict.fromkeys(FILTER_NAMES, "")),
        first_page=links(page=1),
        last_page=links(page=max(page_count, 1)),
        suggestion_link=(_Links(results.suggestion, filters, None)() if results.suggestion else ""),
    )
    if page_count > 1:
        context.update(
            pages=_pages(min(page_number, page_count), page_count, links),
            previous_page=links(page=page_number - 1) if 1 < page_number <= page_count else "",
            next_page=links(page=page_number + 1) if page_number < page_count else "",
        )
    if not results.total:
        context["agencies"] = active_agencies()[:30]
    return render(request, "search/search.html", context)


def _hit_json(hit) -> dict:
    return {
        "agency": hit.agency,
        "agency_name": hit.agency_name,
        "service": hit.service,
        "title": hit.title,
        "summary": hit.summary,
        "highlight": str(hit.highlight),
        "url": hit.url,
        "apply_url": hit.apply_url,
        "registry_code": hit.registry_code,
        "level": hit.level,
        "delivery": hit.delivery,
        "unavailable": hit.unavailable,
        "score": hit.score,
    }


@require_GET
def search_api(request):
    query = _query(request)
    limit = parse_whole_number(request.GET.get("limit", str(PER_PAGE)), max_digits=6, signed=True)
    offset = parse_whole_number(request.GET.get("offset", "0"), max_digits=6, signed=True)
    if limit is None or offset is None:
        return JsonResponse(
            {"error": "limit and offset must be whole numbers of at most 6 digits"}, status=400
        )
    limit = max(1, min(limit, MAX_LIMIT))
    offset = max(0, min(offset, MAX_RESULT_WINDOW - limit))
    if not query:
        return JsonResponse({"error": "q is required"}, status=400)
    results = get_backend().search(query, filters=_filters(request), limit=limit, offset=offset)
    services.log_query(query, results)
    return JsonResponse(
        {
            "query": results.query,
            "language": results.language,
            "total": results.total,
            "total_is_lower_bound": results.total_is_lower_bound,
            "suggestion": results.suggestion,
            "facets": results.facets,
            "results": [_hit_json(hit) for hit in results.hits],
            # Services near the query when nothing answers it: not results of it.
            "related": [_hit_json(hit) for hit in results.related],
        },
        json_dumps_params={"ensure_ascii": False},
    )


@require_GET
def suggest_api(request):
    return JsonResponse(
        {"suggestions": get_backend().suggest(_query(request))},
        json_dumps_params={"ensure_ascii": False},
    )


@require_GET
def open_result(request):
    """Record which result was opened, then go there: an indexed service's page or its
    request form, nowhere else."""
    from .models import IndexedService

    target = request.GET.get("to", "")[:500]
    # No URL has control characters (and PostgreSQL refuses a NUL): not found, unasked.
    service = (
        None
        if not target or _CONTROL.search(target)
        else IndexedService.objects.filter(Q(url=target) | Q(apply_url=target))
        .select_related("agency")
        .first()
    )
    if service is None:
        raise Http404
    # Only a signed log id (as the results page gave it) records a click; a position is a
    # number of at most 6 digits (bigger ones are none, and never a 500).
    log_id = services.log_id_from(request.GET.get("log", ""))
    position = parse_whole_number(request.GET.get("position", ""), max_digits=6)
    if log_id is not None and position is not None:
        services.log_click(log_id, position, service)
    return HttpResponseRedirect(target)


def _week_label(start: date) -> str:
    return _("Week of %(date)s") % {"date": jalali(start)}


EARLIEST_WEEK = date(2000, 1, 1)


def _chosen_week(request) -> tuple[date, str]:
    """The Saturday of the week asked for (``week``: any date of it, YYYY-MM-DD), this
    week when none is asked; and an error when what was asked is no date."""
    asked = to_ascii_digits(request.GET.get("week", "").strip())[:10]
    if not asked:
        return selectors.this_week(), ""
    try:
        day = date.fromisoformat(asked)
    except ValueError:
        day = None
    # Before the Jalali calendar's range (and the platform) there is no week to show.
    if day is None or day < EARLIEST_WEEK or not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", asked):
        return selectors.this_week(), _("That is not a week; this week is shown.")
    if day > selectors.this_week():
        return selectors.this_week(), _("That week has not come yet; this week is shown.")
    return selectors.week_start(day), ""


def _csv_cell(value) -> str:
    """A cell no spreadsheet takes for a formula (citizens typed these queries)."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _unanswered_csv(start: date, rows) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="unanswered-searches-{start.isoformat()}.csv"'
    )
    response.write("\ufeff")  # spreadsheets then read the Persian as UTF-8
    writer = csv.writer(response)
    writer.writerow(
        [
            _("Query"),
            _("Searches"),
            _("Without a result"),
            _("Without a click"),
            _("Share without a click (%)"),
        ]
    )
    for row in rows:
        writer.writerow(
            [
                _csv_cell(row.query),
                row.searches,
                row.without_result,
                row.without_click,
                row.share_without_click,
            ]
        )
    return response


@national_only(roles=REPORT_ROLES)
@require_GET
def unanswered_searches(request):
    """What citizens looked for in a week and did not find, or found and did not open."""
    start, error = _chosen_week(request)
    rows = selectors.unanswered_queries(start)
    if request.GET.get("export") == "csv":
        return _unanswered_csv(start, rows)
    weeks = selectors.recent_weeks()
    if start not in weeks:
        weeks = sorted([*weeks, start], reverse=True)
    page = Paginator(rows, REPORT_PER_PAGE).get_page(
        parse_whole_number(request.GET.get("p", ""), max_digits=6)
    )
    shown = [
        {"row": row, "share": percent(row.share_without_click / 100)} for row in page
    ]
    return render(
        request,
        "search/unanswered_searches.html",
        {
            "week": start,
            "week_label": _week_label(start),
            "weeks": [(week.isoformat(), _week_label(week)) for week in weeks],
            "error": error,
            "summary": selectors.week_summary(start),
            "page": page,
            "rows": shown,
        },
    )
