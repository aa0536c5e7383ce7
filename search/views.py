"""The national portal's search page and JSON API (public schema)."""

import re

from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from catalog_pages.constants import Audience, Delivery
from persian.digits import parse_whole_number
from tenants.constants import Province, ServiceLevel
from tenants.models import Agency
from tenants.selectors import active_agencies

from . import services
from .backends import Filters, get_backend

PER_PAGE = 20
MAX_PAGE = 500
MAX_LIMIT = 100
# Elasticsearch answers at most 10,000 hits deep (index.max_result_window).
MAX_RESULT_WINDOW = 10_000
MAX_QUERY_LENGTH = 200
# Control characters (NUL above all: PostgreSQL refuses it in text) mean nothing in a query.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")


def _text(request, name: str, max_length: int) -> str:
    return _CONTROL.sub(" ", request.GET.get(name, ""))[:max_length].strip()


def _filters(request) -> Filters:
    return Filters(
        **{
            name: _text(request, name, 40)
            for name in ("agency", "level", "delivery", "audience", "province")
        }
    )


def _query(request) -> str:
    return _text(request, "q", MAX_QUERY_LENGTH)


def _page_number(request) -> int:
    """The ``page`` asked for, from 1 to MAX_PAGE; anything else (other scripts' digits,
    a 5,000-digit number, text) shows the first page."""
    number = parse_whole_number(request.GET.get("page", ""), max_digits=6) or 1
    return max(1, min(number, MAX_PAGE))


@require_GET
def search_page(request):
    query = _query(request)
    context = {"query": query, "filters": _filters(request)}
    if query:
        page_number = _page_number(request)
        results = get_backend().search(
            query, filters=context["filters"], limit=PER_PAGE, offset=(page_number - 1) * PER_PAGE
        )
        log = services.log_query(query, results)
        context.update(
            results=results, page_number=page_number, log=log, offset=(page_number - 1) * PER_PAGE
        )
        if not results.total:
            context["agencies"] = active_agencies()[:30]
    return render(request, "search/search.html", context)


def _facet_groups(facets: dict) -> list[dict]:
    """Facets with their headings and human labels, for the search page."""
    names = dict(
        Agency.objects.filter(slug__in=facets.get("agency", {})).values_list("slug", "name_fa")
    )
    labels = {
        "agency": (_("Agency"), names),
        "level": (_("Level"), dict(ServiceLevel.choices)),
        "delivery": (_("Delivery"), dict(Delivery.choices)),
        "audience": (_("Who can apply"), dict(Audience.choices)),
        "province": (_("Province"), dict(Province.choices)),
    }
    groups = []
    for name, counts in facets.items():
        if len(counts) < 2:
            continue  # a facet with one value narrows nothing
        heading, label_of = labels[name]
        groups.append(
            {
                "name": name,
                "heading": heading,
                "values": [
                    (value, label_of.get(value, value), count) for value, count in counts.items()
                ],
            }
        )
    return groups


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
            "results": [
                {
                    "agency": hit.agency,
                    "agency_name": hit.agency_name,
                    "service": hit.service,
                    "title": hit.title,
                    "summary": hit.summary,
                    "highlight": str(hit.highlight),
                    "url": hit.url,
                    "level": hit.level,
                    "delivery": hit.delivery,
                    "unavailable": hit.unavailable,
                    "score": hit.score,
                }
                for hit in results.hits
            ],
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
    """Record which result was opened, then go there (only to an indexed service's page)."""
    from django.http import Http404, HttpResponseRedirect

    from .models import IndexedService

    target = request.GET.get("to", "")[:500]
    # No URL has control characters (and PostgreSQL refuses a NUL): not found, unasked.
    service = (
        None
        if _CONTROL.search(target)
        else IndexedService.objects.filter(url=target).select_related("agency").first()
    )
    if service is None:
        raise Http404
    # A bigint and a position at most: bigger numbers are no log entry (and never a 500).
    log_id = parse_whole_number(request.GET.get("log", ""), max_digits=18)
    position = parse_whole_number(request.GET.get("position", ""), max_digits=6)
    if log_id is not None and position is not None:
        services.log_click(log_id, position, service)
    return HttpResponseRedirect(target)
