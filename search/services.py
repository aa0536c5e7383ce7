"""Writes to the search index: keep it in step with what agencies publish.

Publishing, unpublishing, moving, deleting and translating a service queue a
re-index of that service (a job deferred in the same transaction); it is done
after the commit, never before: a rolled back publish must not show up in
search. ``rebuild_index`` recreates it all.
"""

import logging

from django.conf import settings
from django.core import signing
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django_tenants.utils import schema_context

from catalog_pages.catalog_format.convert import export_service
from tenants import jobs
from tenants.models import Agency
from tenants.schemas import in_public_schema
from tenants.selectors import current_agency

from .backends import get_backend
from .documents import build_document

logger = logging.getLogger("panjereh." + __name__)


def _page_url(agency: Agency, page) -> str:
    return agency.site_url.rstrip("/") + (page.get_url() or "/")


def _form_url(agency: Agency, page) -> str:
    """The page's request form on the agency's site (ROOT_URLCONF is the agencies' urls)."""
    # The form is under i18n_patterns: its language prefix is the page's, not the worker's.
    with translation.override(page.locale.language_code):
        path = reverse("request_form", args=[page.pk], urlconf=settings.ROOT_URLCONF)
    return agency.site_url.rstrip("/") + path


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
                    apply_url=_form_url(agency, page),
                )
            )
        return documents


def index_service(agency: Agency, translation_key) -> int:
    """Bring one service's entries up to date; returns how many are indexed."""
    documents = documents_for(agency, translation_key)
    backend = get_backend()
    with in_public_schema():
        if documents:
            backend.replace(agency, str(translation_key), documents)
        else:
            backend.remove(agency, str(translation_key))
    return len(documents)


def _index_lock(schema: str, translation_key) -> str:
    return f"search-index:{schema}:{translation_key}"


# With a backend that indexes right after the commit, the job is only a safety net
# (should the process die between the commit and the indexing): it waits this long.
SAFETY_NET_SECONDS = 60


def index_service_later(translation_key) -> None:
    """Queue a re-index of one service; called from page signals inside the agency's schema.

    The job (``search.tasks.index_service``, carrying the agency's schema) is
    written in the caller's transaction, so a rolled-back publish queues nothing
    and a committed one is never forgotten; one waits per service at a time (its
    queueing lock) and two never run at once (its lock). A backend quick enough to
    index inline (PostgreSQL) indexes right after the commit and cancels the job;
    with a slow one (Elasticsearch) a worker does it, so the editor's request never
    waits for it. A failed update is retried with a growing delay.
    """
    from .tasks import index_service as index_job

    agency = current_agency()
    if agency is None:
        return
    schema = agency.schema_name
    lock = _index_lock(schema, translation_key)
    quickly = get_backend().indexes_quickly
    jobs.defer(
        index_job,
        translation_key=str(translation_key),
        lock=lock,
        queueing_lock=lock,
        schedule_in={"seconds": SAFETY_NET_SECONDS} if quickly else None,
    )
    if quickly:
        transaction.on_commit(lambda: _index_right_away(agency, translation_key, lock))


def _index_right_away(agency: Agency, translation_key, lock: str) -> None:
    try:
        with transaction.atomic():
            index_service(agency, translation_key)
    except Exception:  # any backend failure: the job stays and a worker retries it
        logger.exception("Indexing %s/%s failed; a worker retries it", agency.slug, translation_key)
        return
    with in_public_schema():
        jobs.cancel_waiting(lock)


def index_service_job(translation_key) -> int:
    """The job's work, inside the agency's schema: bring one service's entries up to date."""
    agency = current_agency()
    if agency is None:
        return 0
    return index_service(agency, translation_key)


def rebuild_index(*, progress=None) -> int:
    """Re-index every published service of every agency; returns the number of entries."""
    from catalog_pages.models import ServicePage

    backend = get_backend()
    with in_public_schema():
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
    with in_public_schema():
        backend.after_bulk_load()
    return total


def log_query(query: str, results):
    """Remember what was asked and how many services answered; nothing about who asked.

    The citizen does not wait for the disk: the row is written by one statement that is
    committed without waiting for its flush (``set_config(…, true)`` lasts for its own
    transaction; a crash may lose the last few rows, never anything else).
    """
    from .models import QueryLog

    log = QueryLog(
        query=query[:200],
        language=results.language,
        result_count=results.total,
        created_at=timezone.now(),
    )
    with connection.cursor() as cursor:
        # Prepared: the same statement for every search, parsed and planned once.
        connection.execute_prepared(
            cursor,
            f"INSERT INTO {QueryLog._meta.db_table} "  # noqa: S608 - our table
            "(query, language, result_count, clicked_agency, clicked_service, created_at) "
            "SELECT %s, %s, %s, '', '', %s "
            "FROM (SELECT set_config('synchronous_commit', 'off', true)) AS unflushed "
            "RETURNING id",
            [log.query, log.language, log.result_count, log.created_at],
        )
        log.pk = cursor.fetchone()[0]
    log._state.adding, log._state.db = False, connection.alias
    return log


def log_click(log_id, position: int, service=None) -> None:
    """Remember which result (1-based) was opened first for a logged query, and which
    service it was (an ``IndexedService``), if known."""
    from .models import QueryLog

    QueryLog.objects.filter(pk=log_id, clicked_position=None).update(
        clicked_position=max(1, min(position, 1000)),
        clicked_agency=service.agency.slug if service else "",
        clicked_service=service.service_slug if service else "",
    )


_LOG_SALT = "search.query-log"


def log_token(log) -> str:
    """The log entry's id as the page's links carry it: signed, so that nobody can claim
    other people's searches as clicks on a service of their choosing (the ids count up)."""
    return signing.dumps(log.pk, salt=_LOG_SALT, compress=False)


def log_id_from(token: str) -> int | None:
    """The id a ``log_token`` stands for; None for anything else (a bare id, a forgery)."""
    try:
        value = signing.loads(str(token)[:200], salt=_LOG_SALT)
    except signing.BadSignature:
        return None
    return value if isinstance(value, int) else None
