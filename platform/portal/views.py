"""Pages of the national portal: the single window's home, services by topic, life
event, audience or agency, and agencies by kind or province."""

import re

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from catalog_pages.constants import Audience
from persian.digits import parse_whole_number
from taxonomy.selectors import active_life_events, active_topics
from tenants.constants import AgencyKind, Province
from tenants.selectors import active_agencies

from . import selectors

SERVICES_PER_PAGE = 20
AGENCIES_PER_PAGE = 30
# ``?province=national``: the agencies that serve the whole country (no province).
NATIONAL = "national"
_SLUG_LENGTH = 80
_SLUG = re.compile(r"[-a-zA-Z0-9_]+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")


def _page_number(request) -> int:
    return parse_whole_number(request.GET.get("page", ""), max_digits=6) or 1


def _param(request, name: str) -> str:
    """The value asked for, without control characters (PostgreSQL refuses NUL)."""
    return _CONTROL.sub("", request.GET.get(name, "")).strip()[:_SLUG_LENGTH]


def _find(queryset, slug: str):
    """The entry of ``queryset`` with ``slug``, or None; a text that is no slug is none."""
    return queryset.filter(slug=slug).first() if _SLUG.fullmatch(slug) else None


def _group_label(by: str, key: str) -> str:
    if by == "kind":
        return AgencyKind(key).label if key in AgencyKind.values else key
    if not key:
        return _("National agencies")
    return Province(key).label if key in Province.values else key


def _group_link(by: str, key: str) -> str:
    return f"?{by}={key or NATIONAL}"


@require_safe
def home(request):
    """The single window: search, tracking, the most used services, services by life
    event, topic and audience, and every agency by kind or province."""
    grouping = request.GET.get("agencies", "kind")
    if grouping not in selectors.AGENCY_GROUPINGS:
        grouping = "kind"
    summary = selectors.home_summary(grouping)
    facts = summary["facts"]
    counts = facts["counts"]
    groups = summary["agencies"]
    for group in groups:
        group.label = _group_label(grouping, group.key)
        group.link = _group_link(grouping, group.key)
        group.more = group.total - len(group.agencies)
    if grouping == "province":
        # National agencies first, then the provinces in the order of their names.
        groups.sort(key=lambda group: (bool(group.key), str(group.label)))
    else:
        order = list(AgencyKind.values)
        groups.sort(key=lambda group: order.index(group.key) if group.key in order else 99)
    context = {
        "topics": [(topic, counts["topic"].get(topic.slug, 0)) for topic in facts["topics"]],
        "life_events": [
            (event, counts["life_event"].get(event.slug, 0)) for event in facts["life_events"]
        ],
        "audiences": [
            (value, label, counts["audience"].get(value, 0)) for value, label in Audience.choices
        ],
        "popular": summary["popular"],
        "online_delivery": selectors.ONLINE_DELIVERY,
        "agency_groups": groups,
        "grouping": grouping,
    }
    return render(request, "portal/home.html", context)


def _chosen(request) -> tuple[dict, list[str]]:
    """The filters asked for, each found (topic, life event, audience, agency), and the
    reasons those that were not found were refused."""
    chosen: dict = {}
    problems: list[str] = []
    if slug := _param(request, "topic"):
        chosen["topic"] = _find(active_topics(), slug)
        if chosen["topic"] is None:
            problems.append(_("There is no topic “%(slug)s”.") % {"slug": slug})
    if slug := _param(request, "life_event"):
        chosen["life_event"] = _find(active_life_events(), slug)
        if chosen["life_event"] is None:
            problems.append(_("There is no life event “%(slug)s”.") % {"slug": slug})
    if value := _param(request, "audience"):
        if value in Audience.values:
            chosen["audience"] = Audience(value)
        else:
            problems.append(_("There is no audience “%(slug)s”.") % {"slug": value})
    if slug := _param(request, "agency"):
        chosen["agency"] = _find(active_agencies(), slug)
        if chosen["agency"] is None:
            problems.append(_("No active agency has the address “%(slug)s”.") % {"slug": slug})
    return {name: value for name, value in chosen.items() if value is not None}, problems


def _services_heading(chosen: dict) -> str:
    for name in ("life_event", "topic", "agency"):
        if name in chosen:
            return chosen[name].name
    if "audience" in chosen:
        return _("Services for %(audience)s") % {"audience": chosen["audience"].label}
    return _("All services")


@require_safe
def services(request):
    """Listed services of a topic, life event, audience or agency, or of all of them."""
    chosen, problems = _chosen(request)
    context = {
        "chosen": chosen,
        "problems": problems,
        "topics": active_topics(),
        "life_events": active_life_events(),
        "audiences": Audience.choices,
        "heading": _services_heading(chosen),
    }
    if problems:
        return render(request, "portal/services.html", context, status=404)
    rows = selectors.service_rows()
    if "topic" in chosen:
        rows = rows.filter(topics__contains=[chosen["topic"].slug])
    if "life_event" in chosen:
        rows = rows.filter(life_events__contains=[chosen["life_event"].slug])
    if "audience" in chosen:
        rows = rows.filter(audience=chosen["audience"].value)
    if "agency" in chosen:
        rows = rows.filter(agency=chosen["agency"])
    page = Paginator(rows, SERVICES_PER_PAGE).get_page(_page_number(request))
    query = request.GET.copy()
    query.pop("page", None)
    context.update(
        page=page,
        online=selectors.ONLINE_DELIVERY,
        query=query.urlencode(),
        filtered=bool(chosen),
    )
    return render(request, "portal/services.html", context)


@require_safe
def agencies(request):
    """Active agencies of one kind or one province (or all), with their online services."""
    rows = selectors.agencies_with_online_counts().order_by("name_fa", "pk")
    heading, problem = _("Agencies"), ""
    kind, province = _param(request, "kind"), _param(request, "province")
    if kind:
        if kind in AgencyKind.values:
            rows, heading = rows.filter(kind=kind), _group_label("kind", kind)
        else:
            problem = _("There is no kind of agency “%(slug)s”.") % {"slug": kind}
    if province and not problem:
        key = "" if province == NATIONAL else province
        if key in Province.values or not key:
            rows, heading = rows.filter(province=key), _group_label("province", key)
        else:
            problem = _("There is no province “%(slug)s”.") % {"slug": province}
    context = {"heading": heading, "problem": problem}
    if problem:
        return render(request, "portal/agencies.html", context, status=404)
    page = Paginator(rows, AGENCIES_PER_PAGE).get_page(_page_number(request))
    query = request.GET.copy()
    query.pop("page", None)
    context.update(page=page, query=query.urlencode())
    return render(request, "portal/agencies.html", context)


def not_found(request, exception=None):
    return render(request, "portal/404.html", status=404)
