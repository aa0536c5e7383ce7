import itertools

import pytest
from django.db import connection
from django.test import Client

from tenants import services

_numbers = itertools.count(1)


@pytest.fixture(autouse=True)
def _public_schema_between_tests():
    connection.set_schema_to_public()
    yield
    connection.set_schema_to_public()


@pytest.fixture
def onboard(db):
    """Onboard an agency with a fresh slug; returns services.OnboardedAgency."""

    def _onboard(slug: str | None = None, name_fa: str | None = None, **kwargs):
        number = next(_numbers)
        return services.onboard_agency(
            slug=slug or f"agency-{number}",
            name_fa=name_fa or f"سازمان آزمایشی {number}",
            **kwargs,
        )

    return _onboard


@pytest.fixture
def client_for():
    """A test client whose requests go to the given host."""

    def _client(host: str) -> Client:
        return Client(HTTP_HOST=host)

    return _client
