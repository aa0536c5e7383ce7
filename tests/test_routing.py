"""Requests reach the national portal or exactly one agency, by host name."""

import pytest

from tenants import services


@pytest.mark.django_db
def test_public_host_shows_the_national_portal_listing_agencies(onboard, client_for):
    onboard(slug="tax", name_fa="سازمان امور مالیاتی")

    response = client_for("localhost").get("/")

    assert response.status_code == 200
    html = response.content.decode()
    assert 'dir="rtl"' in html and 'lang="fa"' in html
    assert "سازمان امور مالیاتی" in html
    assert "http://tax.localhost/" in html


@pytest.mark.django_db
def test_portal_says_so_when_no_agency_has_joined(client_for):
    response = client_for("localhost").get("/")

    assert response.status_code == 200
    assert "empty-state" in response.content.decode()


@pytest.mark.django_db
def test_each_agency_host_shows_its_own_site(onboard, client_for):
    onboard(slug="tax", name_fa="سازمان امور مالیاتی")
    onboard(slug="post", name_fa="شرکت ملی پست")

    tax = client_for("tax.localhost").get("/").content.decode()
    post = client_for("post.localhost").get("/").content.decode()

    assert "<h1>سازمان امور مالیاتی</h1>" in tax
    assert "شرکت ملی پست" not in tax
    assert "<h1>شرکت ملی پست</h1>" in post
    assert "سازمان امور مالیاتی" not in post


@pytest.mark.django_db
def test_unknown_agency_host_gets_a_friendly_404_pointing_to_the_portal(client_for):
    response = client_for("nowhere.localhost").get("/")

    assert response.status_code == 404
    html = response.content.decode()
    assert "nowhere.localhost" in html
    assert 'href="http://localhost/"' in html


@pytest.mark.django_db
def test_deactivated_agency_stops_answering(onboard, client_for):
    agency = onboard(slug="closed").agency
    services.set_agency_active(agency, active=False)

    response = client_for("closed.localhost").get("/")

    # Gone for citizens (410, "this agency's site is not available"); its admin stays.
    assert response.status_code == 410
    assert client_for("closed.localhost").get("/admin/login/").status_code == 200


@pytest.mark.django_db
def test_host_outside_the_base_domain_is_refused(client_for):
    response = client_for("evil.example.com").get("/")

    # Not in ALLOWED_HOSTS: django-tenants answers a bare 404 before anything is looked up
    # (hosts under BASE_DOMAIN that no agency has get the friendly page instead).
    assert response.status_code == 404
    assert response.content == b""
