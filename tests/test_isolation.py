"""An agency's editors, sessions and content never reach another agency."""

import pytest
from django.contrib.auth import get_user_model
from django_tenants.utils import schema_context
from wagtail.models import Page

PASSWORD = "a-long-Passphrase-for-tests-42"


def _accept(client, invitation_url, username="maryam"):
    path = invitation_url.split("localhost", 1)[1]
    return client.post(
        path,
        {
            "username": username,
            "first_name": "مریم",
            "last_name": "احمدی",
            "email": "maryam@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )


@pytest.mark.django_db
def test_invited_editor_joins_only_their_agency_and_lands_in_its_admin(onboard, client_for):
    a = onboard(slug="agency-a")
    b = onboard(slug="agency-b")
    client = client_for("agency-a.localhost")

    response = _accept(client, a.invitation_url)

    assert response.status_code == 302 and response["Location"].endswith("/admin/")
    assert client.get("/admin/").status_code == 200
    with schema_context(a.agency.schema_name):
        assert get_user_model().objects.filter(username="maryam").exists()
    with schema_context(b.agency.schema_name):
        assert not get_user_model().objects.filter(username="maryam").exists()


@pytest.mark.django_db
def test_editor_of_agency_a_cannot_log_into_agency_b(onboard, client_for):
    a = onboard(slug="agency-a")
    onboard(slug="agency-b")
    _accept(client_for("agency-a.localhost"), a.invitation_url)

    response = client_for("agency-b.localhost").post(
        "/admin/login/", {"username": "maryam", "password": PASSWORD}
    )

    assert response.status_code == 200  # the login form again, with an error
    assert "_auth_user_id" not in response.wsgi_request.session


@pytest.mark.django_db
def test_a_session_of_agency_a_means_nothing_on_agency_b(onboard, client_for):
    a = onboard(slug="agency-a")
    b = onboard(slug="agency-b", name_fa="سازمان ب")
    client = client_for("agency-a.localhost")
    _accept(client, a.invitation_url)

    # The same browser (same cookies) now asks agency B's admin and its page explorer.
    client.defaults["HTTP_HOST"] = "agency-b.localhost"
    with schema_context(b.agency.schema_name):
        b_home = Page.objects.get(depth=2).pk
    for path in ("/admin/", f"/admin/pages/{b_home}/", f"/admin/pages/{b_home}/edit/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert "/admin/login/" in response["Location"]


@pytest.mark.django_db
def test_invitation_works_once_and_only_on_its_own_agency(onboard, client_for):
    a = onboard(slug="agency-a")
    onboard(slug="agency-b")

    wrong_agency = client_for("agency-b.localhost").get(a.invitation_url.split("localhost", 1)[1])
    assert wrong_agency.status_code == 410
    assert "برای این دستگاه معتبر نیست" in wrong_agency.content.decode()

    _accept(client_for("agency-a.localhost"), a.invitation_url)
    reused = _accept(client_for("agency-a.localhost"), a.invitation_url, username="someone")
    assert reused.status_code == 410
    assert "پیش‌تر استفاده شده" in reused.content.decode()


@pytest.mark.django_db
def test_an_expired_invitation_is_refused(onboard, client_for):
    from django.utils import timezone

    from tenants.models import EditorInvitation

    a = onboard(slug="agency-a")
    EditorInvitation.objects.update(expires_at=timezone.now())

    response = client_for("agency-a.localhost").get(a.invitation_url.split("localhost", 1)[1])

    assert response.status_code == 410
    assert "منقضی شده" in response.content.decode()


@pytest.mark.django_db
def test_cache_keys_carry_the_agency_schema(onboard):
    from django.core.cache import cache

    a = onboard(slug="agency-a").agency
    b = onboard(slug="agency-b").agency
    with schema_context(a.schema_name):
        cache.set("greeting", "from A")
    with schema_context(b.schema_name):
        assert cache.get("greeting") is None


@pytest.mark.django_db
def test_uploads_are_stored_under_the_agency_schema(onboard):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    a = onboard(slug="agency-a").agency
    with schema_context(a.schema_name):
        name = default_storage.save("documents/guide.txt", ContentFile(b"hello"))
        path = default_storage.path(name)
        default_storage.delete(name)
    assert f"/{a.schema_name}/documents/" in path


def _search_paths(client, path):
    """The response to ``path`` and the schemas its ``SET search_path`` chose, if any."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    return response, [q["sql"] for q in queries if q["sql"].startswith("SET search_path")]


@pytest.mark.django_db
def test_the_search_path_follows_the_host_and_is_set_only_when_it_changes(onboard, client_for):
    """Each request reads its own host's schema; a connection already on that schema is
    not told so again (one statement less per request), one on another schema is."""
    onboard(slug="agency-a", name_fa="اداره الف")
    portal, agency = client_for("localhost"), client_for("agency-a.localhost")

    first, first_sets = _search_paths(portal, "/api/v1/search?q=گذرنامه")
    again, again_sets = _search_paths(portal, "/api/v1/search?q=گذرنامه")
    home, agency_sets = _search_paths(agency, "/")
    back, back_sets = _search_paths(portal, "/api/v1/search?q=گذرنامه")

    assert first.status_code == again.status_code == back.status_code == 200
    assert home.status_code == 200 and "اداره الف" in home.content.decode()
    assert again_sets == []
    assert agency_sets == ['SET search_path = "agency_agency_a","public"']
    assert back_sets == ['SET search_path = "public"']


@pytest.mark.django_db
def test_a_statement_prepared_on_one_agency_reads_the_next_agencys_own_tables(onboard):
    """Statements are prepared per connection and a connection serves every agency in
    turn: run on agency B, one prepared on agency A reads B's pages, never A's."""
    from django.db import connection

    a = onboard(slug="agency-a", name_fa="اداره الف").agency
    b = onboard(slug="agency-b", name_fa="اداره ب").agency
    sql = "SELECT title FROM wagtailcore_page WHERE depth > %s ORDER BY path"

    def titles(agency):
        with schema_context(agency.schema_name), connection.cursor() as cursor:
            connection.execute_prepared(cursor, sql, [1])
            return [title for (title,) in cursor.fetchall()]

    def own(agency):
        with schema_context(agency.schema_name):
            return list(
                Page.objects.filter(depth__gt=1).order_by("path").values_list("title", flat=True)
            )

    on_a, on_b = titles(a), titles(b)
    assert on_a == own(a) and on_b == own(b)
    assert on_a != on_b
