"""Writes to the search index: keep it in step with what agencies publish.

Publishing, unpublishing, moving, deleting and translating a service queue a
re-index of that service (an ``IndexTask`` written in the same transaction);
it is worked off after the commit, never before: a rolled back publish must
not show up in search. ``rebuild_index`` recreates it all.
"""

import logging
from datetime import timedelta

from django.db import connection, transaction
from django.utils import timezone
from django_tenants.utils import get_public_schema_name, schema_context

from catalog_pages.catalog_format.convert import export_service
from tenants.models import Agency

from .backends import get_backend
from .documents import build_document
from .models import IndexTask

logger = logging.getLogger("panjereh." + __name__)


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
    """Queue a re-index of one service; called from page signals inside the agency's schema.

    The task row is written in the caller's transaction, so a rolled-back
    publish queues nothing and a committed one is never forgotten. After the
    commit, a backend quick enough to index inline (PostgreSQL) works the task
    off at once; a slow one (Elasticsearch) leaves it to ``manage.py run_worker``,
    so the editor's request never waits for it.
    """
    schema = connection.schema_name
    if schema == get_public_schema_name():
        return
    agency = Agency.objects.filter(schema_name=schema).first()
    if agency is None:
        return
    now = timezone.now()
    IndexTask.objects.bulk_create(
        [
            IndexTask(
                agency=agency, translation_key=translation_key, queued_at=now, available_at=now
            )
        ],
        update_conflicts=True,
        unique_fields=["agency", "translation_key"],
        update_fields=["queued_at", "available_at", "attempts", "last_error"],
    )
    if get_backend().indexes_quickly:
        transaction.on_commit(
            lambda: process_index_queue(agency=agency, translation_key=translation_key)
        )


def _retry_delay(attempts: int) -> timedelta:
    return timedelta(minutes=min(2 ** (attempts - 1), 60))


def process_index_queue(*, limit: int = 100, agency=None, translation_key=None) -> int:
    """Work off due index tasks, one transaction each; returns how many were done.

    Several workers may run at once: each task is locked while it is worked on
    and skipped by the others. A failure is recorded on the task, which is
    retried later (after 1, 2, 4 … up to 60 minutes); nothing is lost.
    """
    done = 0
    with schema_context(get_public_schema_name()):
        for _ in range(limit):
            with transaction.atomic():
                due = IndexTask.objects.filter(available_at__lte=timezone.now())
                if agency is not None:
                    due = due.filter(agency=agency, translation_key=translation_key)
                task = (
                    due.select_for_update(skip_locked=True)
                    .select_related("agency")
                    .order_by("available_at", "pk")
                    .first()
                )
                if task is None:
                    break
                try:
                    with transaction.atomic():
                        index_service(task.agency, task.translation_key)
                except Exception as error:  # any backend failure: keep the task, retry later
                    logger.exception("Indexing %s failed", task)
                    task.attempts += 1
                    task.available_at = timezone.now() + _retry_delay(task.attempts)
                    task.last_error = f"{type(error).__name__}: {error}"[:2000]
                    task.save(update_fields=["attempts", "available_at", "last_error"])
                else:
                    task.delete()
                    done += 1
    return done


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
