"""National administrators onboard and supervise agencies from the public admin."""

import pytest
from django.contrib.auth import get_user_model
from wagtail.models import ModelLogEntry

from tenants.models import Agency

PASSWORD = "national-Admin-passphrase-9"


@pytest.mark.django_db
def test_national_admin_onboards_an_agency_from_the_console(national_admin_client):
    response = national_admin_client.post(
        "/admin/agencies/onboard/",
        {"name_fa": "سازمان بهزیستی", "slug": "behzisti", "kind": "organization", "level": "hq"},
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "http://behzisti.localhost/invitation/" in html
    agency = Agency.objects.get(slug="behzisti")
    assert agency.name_fa == "سازمان بهزیستی"
    entry = ModelLogEntry.objects.get(action="panjereh.agency.onboard", object_id=str(agency.pk))
    assert (entry.object_id, entry.user.username) == (str(agency.pk), "national")


@pytest.mark.django_db
def test_console_form_shows_every_problem_and_keeps_what_was_typed(national_admin_client, onboard):
    onboard(slug="behzisti")

    response = national_admin_client.post(
        "/admin/agencies/onboard/",
        {"name_fa": "سازمان بهزیستی کشور", "slug": "behzisti", "kind": "nonsense", "level": "hq"},
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "از پیش وجود دارد" in html
    assert "یک گزینهٔ معتبر انتخاب کنید. nonsense از گزینه\u200cهای موجود نیست." in html
    assert "سازمان بهزیستی کشور" in html
    assert Agency.objects.count() == 1


@pytest.mark.django_db
def test_console_lists_agencies_with_status_and_can_deactivate(national_admin_client, onboard):
    agency = onboard(slug="behzisti", name_fa="سازمان بهزیستی").agency

    listing = national_admin_client.get("/admin/agencies/").content.decode()
    assert "سازمان بهزیستی" in listing and "behzisti" in listing

    national_admin_client.post(f"/admin/agencies/{agency.pk}/toggle-active/")
    agency.refresh_from_db()
    assert agency.is_active is False


@pytest.mark.django_db
def test_console_is_closed_to_people_without_the_permission(client_for, national_client):
    from tenants.constants import NationalRole

    get_user_model().objects.create_user("clerk", password=PASSWORD)
    client = client_for("localhost")
    assert client.login(username="clerk", password=PASSWORD)

    response = client.get("/admin/agencies/")

    # Wagtail sends a user without admin access to its login page.
    assert response.status_code == 302
    assert response["Location"] == "/admin/login/?next=/admin/agencies/"

    # A national role with admin access but not onboarding: back to the dashboard.
    supervisor = national_client(NationalRole.PROVINCIAL_SUPERVISOR)
    response = supervisor.get("/admin/agencies/onboard/")
    assert (response.status_code, response["Location"]) == (302, "/admin/")


@pytest.mark.django_db
def test_console_does_not_exist_on_an_agency_site(onboard, client_for):
    from django_tenants.utils import schema_context

    from tenants.constants import AgencyRole
    from tenants.services import create_user_in_schema

    agency = onboard(slug="behzisti").agency
    create_user_in_schema(
        agency.schema_name, username="boss", password=PASSWORD, roles=[AgencyRole.ADMINISTRATOR]
    )
    client = client_for("behzisti.localhost")
    with schema_context(agency.schema_name):
        assert client.login(username="boss", password=PASSWORD)

    assert client.get("/admin/agencies/").status_code == 404


@pytest.mark.django_db
def test_a_provincial_supervisor_sees_only_the_agencies_of_their_provinces(onboard):
    from tenants.constants import NationalRole
    from tenants.models import SupervisedProvince
    from tenants.selectors import agencies_visible_to, visible_provinces
    from tenants.services import create_user_in_schema

    onboard(slug="fars-health", province="fars")
    onboard(slug="qom-health", province="qom")
    onboard(slug="national-office")
    supervisor = create_user_in_schema(
        "public", username="fars", password=PASSWORD, roles=[NationalRole.PROVINCIAL_SUPERVISOR]
    )
    admin = create_user_in_schema(
        "public", username="admin", password=PASSWORD, roles=[NationalRole.ADMINISTRATOR]
    )
    assert not agencies_visible_to(supervisor).exists()  # no province assigned: nothing

    SupervisedProvince.objects.create(user=supervisor, province="fars")

    assert visible_provinces(supervisor) == {"fars"}
    assert [a.slug for a in agencies_visible_to(supervisor)] == ["fars-health"]
    assert visible_provinces(admin) is None
    assert agencies_visible_to(admin).count() == 3
