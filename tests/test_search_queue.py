"""Index updates are jobs: never lost, never run before the commit, retried."""

from pathlib import Path

import pytest
from django.db import transaction
from django.utils import timezone
from django_tenants.utils import schema_context

from catalog_pages.models import ServicePage
from catalog_pages.services import import_catalogue
from search import services as search_services
from search.backends import get_backend
from search.backends.postgres import PostgresBackend
from search.models import IndexedService

from .jobs_runner import job_rows, make_due, run_jobs

INDEX = "search.tasks.index_service"

SAMPLE = (
    Path(__file__).resolve().parents[1] / "catalog_pages" / "catalog_format" / "sample-agency.json"
)


def _found(query: str) -> list[str]:
    return [hit.service for hit in get_backend().search(query).hits]


@pytest.mark.django_db
def test_a_quick_backend_indexes_right_after_the_commit_and_leaves_no_job(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        import_catalogue(SAMPLE.read_bytes())

    assert "smart-national-id-card" in _found("کارت هوشمند")
    assert not job_rows(task_name=INDEX)


@pytest.mark.django_db
def test_a_slow_backend_leaves_indexing_to_the_worker(
    monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(PostgresBackend, "indexes_quickly", False)
    with django_capture_on_commit_callbacks(execute=True):
        report = import_catalogue(SAMPLE.read_bytes())

    # The editor's request did no indexing: two jobs wait, in the agency's schema.
    assert not IndexedService.objects.exists()
    waiting = job_rows(task_name=INDEX, status="todo")
    assert len(waiting) == 2
    assert {job.args["schema"] for job in waiting} == {report.agency.schema_name}

    run_jobs()

    assert "smart-national-id-card" in _found("کارت هوشمند")
    assert {job.status for job in job_rows(task_name=INDEX)} == {"succeeded"}


@pytest.mark.django_db
def test_one_job_waits_per_service_however_often_it_changes(
    monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(PostgresBackend, "indexes_quickly", False)
    with django_capture_on_commit_callbacks(execute=True):
        report = import_catalogue(SAMPLE.read_bytes())
    with schema_context(report.agency.schema_name):
        page = ServicePage.objects.get(slug="smart-national-id-card", locale__language_code="fa")
        page.save_revision().publish()
        page.save_revision().publish()

    assert len(job_rows(task_name=INDEX, status="todo")) == 2


@pytest.mark.django_db
def test_a_failed_index_is_kept_and_retried_later(monkeypatch, django_capture_on_commit_callbacks):
    real_index_service = search_services.index_service

    def broken(agency, translation_key):
        raise ConnectionError("search server unreachable")

    monkeypatch.setattr(search_services, "index_service", broken)
    with django_capture_on_commit_callbacks(execute=True):
        import_catalogue(SAMPLE.read_bytes())  # the publish itself succeeds

    # Indexing right after the commit failed: the jobs stay, and a worker retries them.
    assert len(job_rows(task_name=INDEX, status="todo")) == 2
    make_due()
    run_jobs()
    jobs = job_rows(task_name=INDEX)
    assert [(job.status, job.attempts) for job in jobs] == [("todo", 1)] * 2
    assert all(job.scheduled_at > timezone.now() for job in jobs)
    run_jobs()  # not yet due: left alone
    assert [job.attempts for job in job_rows(task_name=INDEX)] == [1, 1]

    monkeypatch.setattr(search_services, "index_service", real_index_service)
    make_due()
    run_jobs()
    assert "smart-national-id-card" in _found("کارت هوشمند")
    assert {job.status for job in job_rows(task_name=INDEX)} == {"succeeded"}


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

    assert not job_rows(task_name=INDEX)
    assert "smart-national-id-card" in _found("کارت هوشمند")


@pytest.mark.django_db
def test_each_languages_entry_links_to_the_form_in_its_own_language(
    django_capture_on_commit_callbacks, client_for
):
    with django_capture_on_commit_callbacks(execute=True):
        report = import_catalogue(SAMPLE.read_bytes())
    with schema_context(report.agency.schema_name):
        pages = {
            page.locale.language_code: page.pk
            for page in ServicePage.objects.filter(slug="smart-national-id-card")
        }

    forms = dict(
        IndexedService.objects.filter(service_slug="smart-national-id-card").values_list(
            "language", "apply_url"
        )
    )

    host = f"http://{report.agency.slug}.localhost"
    assert forms == {
        "fa": f"{host}/apply/{pages['fa']}/",
        "en": f"{host}/en/apply/{pages['en']}/",
    }
    english = client_for(f"{report.agency.slug}.localhost").get(f"/en/apply/{pages['en']}/")
    assert english.status_code == 200 and 'lang="en"' in english.content.decode()
