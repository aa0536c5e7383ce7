"""The national portal's search page and JSON API (public schema)."""

from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from tenants.selectors import active_agencies

from . import services
from .backends import Filters, get_backend

PER_PAGE = 20
MAX_QUERY_LENGTH = 200


def _filters(request) -> Filters:
    return Filters(
        **{
            name: request.GET.get(name, "")[:40]
            for name in ("agency", "level", "delivery", "audience", "province")
        }
    )


def _query(request) -> str:
    return request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]


@require_GET
def search_page(request):
    query = _query(request)
    context = {"query": query, "filters": _filters(request)}
    if query:
        raw_page = request.GET.get("page", "1")
        page_number = max(1, min(int(raw_page), 500)) if raw_page.isdigit() else 1
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
    from django.utils.translation import gettext as _

    from catalog_pages.constants import Audience, Delivery
    from tenants.constants import Province, ServiceLevel
    from tenants.models import Agency

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
    try:
        limit = max(1, min(int(request.GET.get("limit", PER_PAGE)), 100))
        offset = max(0, int(request.GET.get("offset", 0)))
    except ValueError:
        return JsonResponse({"error": "limit and offset must be integers"}, status=400)
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

    target = request.GET.get("to", "")
    if not IndexedService.objects.filter(url=target).exists():
        raise Http404
    log_id, position = request.GET.get("log", ""), request.GET.get("position", "")
    if log_id.isdigit() and position.isdigit():
        services.log_click(int(log_id), int(position))
    return HttpResponseRedirect(target)
