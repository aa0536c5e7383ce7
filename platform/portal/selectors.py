"""What the national portal lists: services of the search index, grouped for citizens.

The portal lists the Persian rows of the search index (``IndexedService``: one per
published service and language) of active agencies. Every function here is one
query, or two, whatever the number of agencies and services: the home page is
the busiest page of the platform.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.db import connection
from django.db.models import Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.expressions import Window
from django.db.models.functions import Coalesce, RowNumber
from django.utils import timezone

from catalog_pages.constants import Delivery
from search.models import IndexedService, QueryLog
from tenants.models import Agency

LISTED_LANGUAGE = "fa"
ONLINE_DELIVERY = (Delivery.FULL, Delivery.PARTIAL)
POPULAR_DAYS = 90
POPULAR_COUNT = 8
# Most clicked (agency, service) pairs looked up to find POPULAR_COUNT still listed.
POPULAR_CANDIDATES = 40
# The large text columns of the index, never needed to list a service.
_SEARCH_COLUMNS = ("title_terms", "keyword_terms", "summary_terms", "body_terms", "search_vector")


def listed_services() -> QuerySet[IndexedService]:
    """The services the portal lists: Persian index rows of active agencies."""
    return IndexedService.objects.filter(language=LISTED_LANGUAGE, agency__is_active=True)


def service_rows() -> QuerySet[IndexedService]:
    """Listed services with their agency, ready to show, in title order."""
    return (
        listed_services().select_related("agency").defer(*_SEARCH_COLUMNS).order_by("title", "pk")
    )


def service_counts() -> dict[str, dict[str, int]]:
    """How many listed services each topic, life event and audience has (one query)."""
    listed, params = (
        listed_services().order_by().values("topics", "life_events", "audience").query
    ).sql_with_params()
    sql = f"""
        WITH listed AS ({listed})
        SELECT 'topic', slug, count(*) FROM listed, unnest(listed.topics) AS slug GROUP BY slug
        UNION ALL
        SELECT 'life_event', slug, count(*)
        FROM listed, unnest(listed.life_events) AS slug GROUP BY slug
        UNION ALL
        SELECT 'audience', audience, count(*) FROM listed GROUP BY audience
    """  # noqa: S608 - the inner query is Django's, its values are parameters
    counts: dict[str, dict[str, int]] = {"topic": {}, "life_event": {}, "audience": {}}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for kind, value, number in cursor.fetchall():
            counts[kind][value] = number
    return counts


def popular_services(
    *, days: int = POPULAR_DAYS, count: int = POPULAR_COUNT
) -> list[IndexedService]:
    """The services citizens opened most from search in the last ``days`` days (two
    queries): still listed ones only, each with ``clicks``, most clicked first."""
    since = timezone.now() - timedelta(days=days)
    clicked = list(
        QueryLog.objects.filter(created_at__gte=since)
        .exclude(clicked_agency="")
        .exclude(clicked_service="")
        .values("clicked_agency", "clicked_service")
        .annotate(clicks=Count("clicked_service"))  # read from the clicked rows' index alone
        .order_by("-clicks", "clicked_agency", "clicked_service")[:POPULAR_CANDIDATES]
    )
    if not clicked:
        return []
    clicks = {(row["clicked_agency"], row["clicked_service"]): row["clicks"] for row in clicked}
    wanted = Q()
    for agency, service in clicks:
        wanted |= Q(agency__slug=agency, service_slug=service)
    found = []
    for row in service_rows().filter(wanted):
        row.clicks = clicks[(row.agency.slug, row.service_slug)]
        found.append(row)
    found.sort(key=lambda row: (-row.clicks, row.title))
    return found[:count]


def agencies_with_online_counts() -> QuerySet[Agency]:
    """Active agencies, each with ``online``: its listed services that can be applied for
    online (fully or partly)."""
    online = (
        listed_services()
        .filter(agency=OuterRef("pk"), delivery__in=ONLINE_DELIVERY)
        .order_by()
        .values("agency")
        .annotate(number=Count("pk"))
        .values("number")
    )
    return Agency.objects.filter(is_active=True).annotate(
        online=Coalesce(Subquery(online, output_field=IntegerField()), Value(0))
    )


@dataclass
class AgencyGroup:
    """Agencies of one kind or one province (``key``: empty for national agencies)."""

    key: str
    total: int
    agencies: list = field(default_factory=list)


def agency_groups(by: str, *, per_group: int) -> list[AgencyGroup]:
    """Active agencies grouped by ``by`` ("kind" or "province"): the first ``per_group``
    of each group by name, and how many the group has (one query)."""
    rows = (
        agencies_with_online_counts()
        .annotate(
            position=Window(RowNumber(), partition_by=[F(by)], order_by=[F("name_fa").asc()]),
            group_total=Window(Count("pk"), partition_by=[F(by)]),
        )
        .filter(position__lte=per_group)
        .order_by(by, "name_fa")
    )
    groups: dict[str, AgencyGroup] = {}
    for agency in rows:
        key = getattr(agency, by)
        group = groups.setdefault(key, AgencyGroup(key=key, total=agency.group_total))
        group.agencies.append(agency)
    return list(groups.values())


# --- The home page's summary, shared by every worker through the cache ---------------
# Counts and groups may lag what agencies publish by this much; a change to the topic
# lists or the agency registry clears them at once (portal.signals). The most used
# services (90 days of clicks) change slowly and cost the most: kept longer.
HOME_CACHE_SECONDS = 60
POPULAR_CACHE_SECONDS = 600
AGENCY_GROUPINGS = ("kind", "province")
AGENCIES_PER_GROUP = 6
_KEY = "portal:home:v1:"


def home_cache_keys() -> list[str]:
    return [_KEY + "facts", _KEY + "popular"] + [_KEY + f"agencies:{by}" for by in AGENCY_GROUPINGS]


def home_summary(grouping: str) -> dict:
    """Everything the home page shows: the topic and life-event lists with their counts,
    the most used services and the agencies grouped by ``grouping``. One cache read
    when warm."""
    from django.core.cache import cache

    from taxonomy.selectors import active_life_events, active_topics

    keys = {
        "facts": _KEY + "facts",
        "popular": _KEY + "popular",
        "agencies": _KEY + f"agencies:{grouping}",
    }
    cached = cache.get_many(keys.values())
    summary = {name: cached[key] for name, key in keys.items() if key in cached}
    if "facts" not in summary:
        summary["facts"] = {
            "counts": service_counts(),
            "topics": list(active_topics()),
            "life_events": list(active_life_events()),
        }
        cache.set(keys["facts"], summary["facts"], HOME_CACHE_SECONDS)
    if "popular" not in summary:
        summary["popular"] = popular_services()
        cache.set(keys["popular"], summary["popular"], POPULAR_CACHE_SECONDS)
    if "agencies" not in summary:
        summary["agencies"] = agency_groups(grouping, per_group=AGENCIES_PER_GROUP)
        cache.set(keys["agencies"], summary["agencies"], HOME_CACHE_SECONDS)
    return summary
