"""Writes to the search index: keep it in step with what agencies publish.

Publishing, unpublishing, moving, deleting and translating a service queue a
re-index of that service after the transaction commits (never before: a rolled
back publish must not show up in search). ``rebuild_index`` recreates it all.
"""

from django.db import connection
from django_tenants.utils import get_public_schema_name, schema_context

from catalog_pages.catalog_format.convert import export_service
from tenants.models import Agency

from .backends import get_backend
from .documents import build_document


def _page_url(agency: Agency, page) -> str:
    return agency.site_url.rstrip("/") + (page.get_url() or "/")


def documents_for(agency: Agency, translation_key) -> list:
    """The documents (one per live language) of a service, read in the agency's schema."""
    from catalog_pages.models import ServicePage

    with schema_context(agency.schema_name):
        pages = {
            page.locale.language_code: page
            for page in ServicePage.objects.live()
            .public()
            .filter(translation_key=translation_key)
            .select_related("locale")
        }
        source = pages.get("fa")
        if source is None:
            return []
        service = export_service(source, pages.get("en"))
        documents = []
        for language, page in pages.items():
            documents.append(
                build_document(
                    service,
                    language=language,
                    translation_key=translation_key,
                    url=_page_url(agency, page),
                    province=agency.province,
                    unavailable=page.unavailable,
                    keywords_extra=page.introduction,
                )
            )
        return documents


def index_service(agency: Agency, translation_key) -> int:
    """Bring one service's entries up to date; returns how many are indexed."""
    documents = documents_for(agency, translation_key)
    backend = get_backend()
    with schema_context(get_public_schema_name()):
        if documents:
            backend.replace(agency, str(translation_key), documents)
        else:
            backend.remove(agency, str(translation_key))
    return len(documents)


def index_service_later(translation_key) -> None:
    """Called from page signals, inside the agency's schema."""
    from django.db import transaction

    schema = connection.schema_name
    if schema == get_public_schema_name():
        return

    def run():
        agency = Agency.objects.filter(schema_name=schema).first()
        if agency is not None:
            index_service(agency, translation_key)

    transaction.on_commit(run)


def rebuild_index(*, progress=None) -> int:
    """Re-index every published service of every agency; returns the number of entries."""
    from catalog_pages.models import ServicePage

    backend = get_backend()
    with schema_context(get_public_schema_name()):
        backend.clear()
        agencies = list(Agency.objects.order_by("slug"))
    total = 0
    for number, agency in enumerate(agencies, start=1):
        with schema_context(agency.schema_name):
            keys = list(
                ServicePage.objects.live()
                .filter(locale__language_code="fa")
                .values_list("translation_key", flat=True)
            )
        for key in keys:
            total += index_service(agency, key)
        if progress:
            progress(number, len(agencies), agency.slug, len(keys))
    with schema_context(get_public_schema_name()):
        backend.after_bulk_load()
    return total


def log_query(query: str, results):
    """Remember what was asked and how many services answered; nothing about who asked."""
    from .models import QueryLog

    return QueryLog.objects.create(
        query=query[:200], language=results.language, result_count=results.total
    )


def log_click(log_id, position: int) -> None:
    """Remember which result (1-based) was opened first for a logged query."""
    from .models import QueryLog

    QueryLog.objects.filter(pk=log_id, clicked_position=None).update(
        clicked_position=max(1, min(position, 1000))
    )
