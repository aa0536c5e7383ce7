"""Tracking codes have their own key (TRACKING_KEY): SECRET_KEY can rotate, and a code
already taken after the key changed is skipped instead of failing the submission."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from catalog_pages.services import import_catalogue
from service_requests import services, tracking
from service_requests.models import ServiceRequest
from service_requests.storage import private_storage

from .conftest import PDF, PNG, form_url

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "catalog_pages" / "catalog_format" / "sample-agency.json"
KEY_A = "first-tracking-key-" + "a1b2c3d4e5" * 5
KEY_B = "second-tracking-key-" + "f6g7h8i9j0" * 5


@pytest.fixture
def agency_client(db, client_for, tmp_path, settings):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    from django.utils.functional import empty

    private_storage._wrapped = empty
    import_catalogue(SAMPLE.read_bytes())
    yield client_for("civil-registration.localhost")
    private_storage._wrapped = empty


def _submit(client):
    html = client.get(form_url()).content.decode()
    token = re.search(r'name="submission_token" value="([^"]+)"', html)[1]
    return client.post(
        form_url(),
        {
            "field_father_national_id": "0084575948",
            "field_mother_national_id": "0499370899",
            "field_mobile": "09121234567",
            "field_child_name": "آرش",
            "submission_token": token,
            "document_hospital-birth-certificate": SimpleUploadedFile("a.pdf", PDF),
            "document_parents-id-cards": SimpleUploadedFile("b.png", PNG),
        },
    )


def _next_sequence_is(number: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT setval('service_requests_tracking_seq', %s, false)", [number])


def test_codes_come_from_tracking_key_not_secret_key(settings):
    settings.TRACKING_KEY = KEY_A
    settings.SECRET_KEY = "one-secret-" + "x1y2z3" * 10
    before = tracking.code_for(7, services._tracking_key())
    settings.SECRET_KEY = "rotated-secret-" + "q9w8e7" * 10
    assert tracking.code_for(7, services._tracking_key()) == before
    settings.TRACKING_KEY = KEY_B
    assert tracking.code_for(7, services._tracking_key()) != before


def test_a_code_taken_after_the_key_changed_is_skipped_and_the_citizen_gets_a_receipt(
    agency_client, settings
):
    settings.TRACKING_KEY = KEY_A
    assert _submit(agency_client).status_code == 302
    first = ServiceRequest.objects.get()

    # The key changes; the sequence reaches the number whose code under the new key
    # is exactly the first request's code.
    settings.TRACKING_KEY = KEY_B
    key_b = tracking.key_from_secret(KEY_B)
    colliding = tracking.unpermute(int(first.tracking_code[:12]), key_b)
    assert tracking.code_for(colliding, key_b) == first.tracking_code
    _next_sequence_is(colliding)

    response = _submit(agency_client)

    assert response.status_code == 302
    second = ServiceRequest.objects.exclude(pk=first.pk).get()
    assert second.tracking_code != first.tracking_code
    assert second.sequence == colliding + 1
    assert second.tracking_code == tracking.code_for(colliding + 1, key_b)
    assert second.documents.count() == 2
    receipt = agency_client.get(response["Location"])
    assert receipt.status_code == 200
    shown = second.tracking_code[:4].translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    assert shown in receipt.content.decode()


def test_a_submission_gives_up_after_a_few_taken_codes(agency_client, settings, monkeypatch):
    from django.db import IntegrityError

    settings.TRACKING_KEY = KEY_A
    assert _submit(agency_client).status_code == 302
    taken = ServiceRequest.objects.get().tracking_code
    tries = []
    monkeypatch.setattr(tracking, "code_for", lambda sequence, key: tries.append(1) or taken)

    with pytest.raises(IntegrityError):
        _submit(agency_client)
    assert len(tries) == services.TRACKING_CODE_ATTEMPTS
    assert ServiceRequest.objects.count() == 1


def _check_production(**extra) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "TRACKING_KEY"}}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY=secrets.token_urlsafe(64),
        **extra,
    )
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True
    )


def test_production_refuses_to_start_without_a_tracking_key():
    missing = _check_production()
    assert missing.returncode != 0
    assert "TRACKING_KEY must be set" in missing.stderr
    weak = _check_production(TRACKING_KEY="short")
    assert weak.returncode != 0
    assert "TRACKING_KEY must be set" in weak.stderr
