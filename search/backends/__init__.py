"""Search backends behind one interface; ``get_backend()`` picks one from the settings.

PostgreSQL (default) searches the public schema's index table; Elasticsearch is
used when ELASTICSEARCH_URL is set.
"""

from dataclasses import dataclass, field

from django.conf import settings

# What a search can be narrowed by, and counted by (its facets): the fields of Filters.
FACETS = ("agency", "level", "delivery", "audience", "province")


@dataclass(frozen=True)
class Filters:
    agency: str = ""
    level: str = ""
    delivery: str = ""
    audience: str = ""
    province: str = ""


@dataclass(frozen=True)
class Hit:
    agency: str
    agency_name: str
    service: str
    title: str
    summary: str
    url: str
    level: str
    delivery: str
    unavailable: bool
    score: float
    highlight: str = ""
    # The request form, when the service can be applied for online.
    apply_url: str = ""
    registry_code: str = ""


@dataclass
class Results:
    query: str
    language: str
    hits: list[Hit] = field(default_factory=list)
    total: int = 0
    # True when more services matched than were ranked: ``total`` is then a lower bound.
    total_is_lower_bound: bool = False
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    suggestion: str = ""
    # When nothing answers the query itself: services near it, shown apart, never as hits.
    related: list[Hit] = field(default_factory=list)


class SearchBackend:
    """What every backend does."""

    #: Whether indexing one service is quick enough to do right after the
    #: editor's commit; if not, a background job does it (``search.tasks``).
    indexes_quickly = True

    def replace(self, agency, translation_key: str, documents: list) -> None:
        raise NotImplementedError

    def remove(self, agency, translation_key: str) -> None:
        raise NotImplementedError

    def search(
        self,
        query: str,
        *,
        filters: Filters = Filters(),
        limit: int = 20,
        offset: int = 0,  # noqa: B008
    ) -> Results:
        raise NotImplementedError

    def suggest(self, prefix: str, *, limit: int = 8) -> list[str]:
        raise NotImplementedError

    def after_bulk_load(self) -> None:
        """Called once after a rebuild or bulk load; nothing to do by default."""


def get_backend() -> SearchBackend:
    if settings.ELASTICSEARCH_URL:
        from .elasticsearch import ElasticsearchBackend

        return ElasticsearchBackend(settings.ELASTICSEARCH_URL)
    from .postgres import PostgresBackend

    return PostgresBackend()
