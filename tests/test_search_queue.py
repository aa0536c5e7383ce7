"""Index updates go through an outbox: never lost, never run before the commit, retried."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from django_tenants.utils import schema_context

from catalog_pages.models import ServicePage
from catalog_pages.services import import_catalogue
from search import services as search_services
from search.backends import get_backend
from search.backends.postgres import PostgresBackend
from search.models import IndexedService, IndexTask

SAMPLE = (
    Path(__file__).resolve().parents[1] / "catalog_pages" / "catalog_format" / "sample-agency.json"
)


def _found(query: str) -> list[str]:
    return [hit.service for hit in get_backend().search(query).hits]


@pytest.mark.django_db
def test_a_quick_backend_indexes_right_after_the_commit_and_leaves_no_task(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        import_catalogue(SAMPLE.read_bytes())

    assert "smart-national-id-card" in _found("کارت هوشمند")
    assert not IndexTask.objects.exists()


@pytest.mark.django_db
def test_a_slow_backend_leaves_indexing_to_the_worker(
    monkeypatch, django_capture_on_commit_callbacks, capsys
):
    monkeypatch.setattr(PostgresBackend, "indexes_quickly", False)
    with django_capture_on_commit_callbacks(execute=True):
        import_catalogue(SAMPLE.read_bytes())

    # The editor's request did no indexing: two services wait in the queue.
    assert not IndexedService.objects.exists()
    assert IndexTask.objects.count() == 2

    call_command("run_worker", "--once")

    assert "smart-national-id-card" in _found("کارت هوشمند")
    assert not IndexTask.objects.exists()
    assert "process_index_queue: 2 done" in capsys.readouterr().out


@pytest.mark.django_db
def test_a_failed_index_is_kept_and_retried_later(monkeypatch, django_capture_on_commit_callbacks):
    real_index_service = search_services.index_service

    def broken(agency, translation_key):
        raise ConnectionError("search server unreachable")

    monkeypatch.setattr(search_services, "index_service", broken)
    with django_capture_on_commit_callbacks(execute=True):
        import_catalogue(SAMPLE.read_bytes())  # the publish itself succeeds

    tasks = list(IndexTask.objects.all())
    assert len(tasks) == 2
    assert all(task.attempts == 1 for task in tasks)
    assert all("search server unreachable" in task.last_error for task in tasks)
    assert all(task.available_at > timezone.now() for task in tasks)
    # Not yet due: the worker leaves them alone.
    assert search_services.process_index_queue() == 0

    monkeypatch.setattr(search_services, "index_service", real_index_service)
    IndexTask.objects.update(available_at=timezone.now() - timedelta(seconds=1))
    assert search_services.process_index_queue() == 2
    assert "smart-national-id-card" in _found("کارت هوشمند")


@pytest.mark.django_db
def test_a_rolled_back_unpublish_queues_nothing(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report = import_catalogue(SAMPLE.read_bytes())

    with schema_context(report.agency.schema_name), pytest.raises(RuntimeError):
        with transaction.atomic():
            ServicePage.objects.get(
                slug="smart-national-id-card", locale__language_code="fa"
            ).unpublish()
            raise RuntimeError("the editor's request failed after unpublishing")

    assert not IndexTask.objects.exists()
    assert "smart-national-id-card" in _found("کارت هوشمند")
