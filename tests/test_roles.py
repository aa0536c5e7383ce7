"""Roles are groups, nobody in an agency is a superuser, and national screens are national only.

Each test here failed on the code before roles existed: agency administrators read the
national SMS outbox and edited the holiday list by typing their URLs, the first invited
person was a superuser, and any editor read citizens' national codes and documents.
"""

import json
import re

import pytest
from django.contrib.auth import get_user_model
from django_tenants.utils import schema_context
from wagtail.models import ModelLogEntry

from notifications.models import SmsMessage
from search.models import SynonymGroup
from service_requests.models import Holiday, ServiceRequest, StatusChange
from tenants.constants import AgencyRole, NationalRole

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db


def denied(response) -> bool:
    """Refused: 403/404, or Wagtail's answer to a permission denied (back to the dashboard)."""
    if response.status_code == 302:
        return response["Location"] == "/admin/" or "/admin/login/" in response["Location"]
    return response.status_code in (403, 404)


def menu_labels(client) -> set[str]:
    """The labels of the admin's main menu, as the sidebar shows them."""
    html = client.get("/admin/").content.decode()
    props = re.search(r'id="wagtail-sidebar-props" type="application/json">(.*?)</script>', html)
    labels = set()

    def walk(node):
        if isinstance(node, dict):
            if isinstance(node.get("label"), str):
                labels.add(node["label"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(json.loads(props.group(1)))
    return labels


@pytest.fixture
def agency_admin(setting, staff_client):
    from tenants.models import Agency

    return staff_client(Agency.objects.get(slug="civil-registration"), AgencyRole.ADMINISTRATOR)


@pytest.mark.parametrize(
    "url",
    [
        "/admin/sms_outbox/",
        "/admin/official_holidays/",
        "/admin/official_holidays/new/",
        "/admin/search_synonyms/",
        "/admin/search_synonyms/new/",
        "/admin/agencies/",
    ],
)
def test_national_screens_do_not_exist_on_an_agency_host(agency_admin, url):
    response = agency_admin.get(url)

    assert response.status_code == 404
    assert "09121234567" not in response.content.decode()


def test_an_agency_admin_cannot_read_other_citizens_sms_by_typing_the_url(agency_admin):
    message = SmsMessage.objects.first()
    assert message is not None, "submitting queued an SMS"

    for url in (
        f"/admin/sms_outbox/inspect/{message.pk}/",
        f"/admin/sms_outbox/edit/{message.pk}/",
    ):
        response = agency_admin.get(url)
        assert response.status_code == 404
        assert message.text not in response.content.decode()


def test_an_agency_admin_cannot_change_the_national_holidays(agency_admin):
    response = agency_admin.post(
        "/admin/official_holidays/new/", {"date": "2027-01-05", "title": "تعطیل ساختگی"}
    )

    assert response.status_code == 404
    assert not Holiday.objects.filter(title="تعطیل ساختگی").exists()
    agency_admin.post("/admin/search_synonyms/new/", {"phrases": "الف\nب"})
    assert not SynonymGroup.objects.exists()


def test_a_provincial_supervisor_cannot_keep_holidays_or_read_the_outbox(national_client):
    client = national_client(NationalRole.PROVINCIAL_SUPERVISOR)

    assert client.get("/admin/").status_code == 200
    # Wagtail answers a permission denied in its admin with a redirect to the dashboard.
    outbox = client.get("/admin/sms_outbox/")
    assert outbox.status_code == 302 and outbox["Location"] == "/admin/"
    holiday = client.post("/admin/official_holidays/new/", {"date": "2027-01-05", "title": "x"})
    assert holiday.status_code == 302 and not Holiday.objects.exists()
    assert client.get("/admin/agencies/onboard/").status_code == 302


def test_the_national_menu_lists_national_screens_only_to_national_administrators(
    national_admin_client, agency_admin
):
    national = menu_labels(national_admin_client)
    agency = menu_labels(agency_admin)

    for label in ("صف پیامک", "تعطیلات رسمی", "دستگاه‌ها"):
        assert label in national, label
        assert label not in agency, label


def test_escalated_complaints_are_in_the_menu_of_those_who_read_them_only(
    national_admin_client, national_client, agency_admin
):
    label = "شکایت‌های ارجاع‌شده به سطح ملی"
    supervisor = national_client(NationalRole.PROVINCIAL_SUPERVISOR)
    operator = national_client(NationalRole.CALL_CENTRE_OPERATOR)

    assert label in menu_labels(national_admin_client)
    assert label in menu_labels(supervisor)
    assert label not in menu_labels(operator)
    assert label not in menu_labels(agency_admin)
    assert denied(operator.get("/admin/escalated-complaints/"))


def _accept(client, invitation_url):
    return client.post(
        invitation_url.split("localhost", 1)[1],
        {
            "username": "maryam",
            "first_name": "مریم",
            "last_name": "احمدی",
            "email": "maryam@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )


def test_the_first_invited_person_is_the_agency_administrator_not_a_superuser(onboard, client_for):
    onboarded = onboard(slug="behzisti")
    client = client_for("behzisti.localhost")

    assert _accept(client, onboarded.invitation_url).status_code == 302

    with schema_context(onboarded.agency.schema_name):
        user = get_user_model().objects.get(username="maryam")
        assert not user.is_superuser and not user.is_staff
        assert list(user.groups.values_list("name", flat=True)) == [AgencyRole.ADMINISTRATOR]
        assert ModelLogEntry.objects.filter(action="panjereh.invitation.accept").exists()
    menu = menu_labels(client)
    assert "درون‌ریزی فهرست خدمات" in menu  # the catalogue import, for agency administrators
    assert "درخواست‌ها" not in menu
    assert client.get("/admin/users/").status_code == 200
    assert denied(client.get("/admin/requests/"))  # citizens' data: clerks only


def test_every_agency_starts_with_its_roles_named_in_persian(onboard):
    from django.contrib.auth.models import Group
    from wagtail.models import GroupApprovalTask

    agency = onboard().agency

    with schema_context(agency.schema_name):
        names = set(Group.objects.values_list("name", flat=True))
        assert names == {str(role) for role in AgencyRole}
        approvers = GroupApprovalTask.objects.get().groups.values_list("name", flat=True)
        assert list(approvers) == [AgencyRole.REVIEWER]


@pytest.mark.parametrize(
    "role",
    [
        AgencyRole.EDITOR,
        AgencyRole.REVIEWER,
        AgencyRole.ADMINISTRATOR,
        AgencyRole.COMPLAINT_HANDLER,
        AgencyRole.REPORT_VIEWER,
    ],
)
def test_only_request_clerks_read_citizens_data_and_act_on_requests(setting, staff_client, role):
    from tenants.models import Agency

    found = setting["request"]
    client = staff_client(Agency.objects.get(slug="civil-registration"), role)
    document = found.documents.get()

    assert denied(client.get("/admin/requests/"))
    detail = client.get(f"/admin/requests/{found.tracking_code}/", follow=True)
    assert "آرش" not in detail.content.decode()  # what the citizen entered
    assert found.tracking_code not in detail.content.decode()
    assert denied(client.get(f"/admin/requests/{found.tracking_code}/documents/{document.pk}/"))
    rejected = client.post(
        f"/admin/requests/{found.tracking_code}/status/", {"status": "rejected", "note": "نه"}
    )
    assert denied(rejected)
    assert ServiceRequest.objects.get(pk=found.pk).status == "submitted"
    assert "درخواست‌ها" not in menu_labels(client)


def test_a_clerk_handles_requests_and_each_act_is_in_the_audit_log(setting):
    found = setting["request"]
    clerk = setting["a"]
    document = found.documents.get()

    assert "آرش" in clerk.get(f"/admin/requests/{found.tracking_code}/").content.decode()
    assert (
        clerk.get(f"/admin/requests/{found.tracking_code}/documents/{document.pk}/").status_code
        == 200
    )
    assert "درخواست‌ها" in menu_labels(clerk)
    accepted = clerk.post(f"/admin/requests/{found.tracking_code}/status/", {"status": "accepted"})
    assert accepted.status_code == 302
    assert StatusChange.objects.filter(request=found, to_status="accepted").exists()

    with schema_context(found.agency.schema_name):
        actions = list(
            ModelLogEntry.objects.filter(object_id=str(found.pk)).values_list(
                "action", "user__username"
            )
        )
    assert ("panjereh.request.file", "clerk") in actions
    assert ("panjereh.request.status", "clerk") in actions


def test_an_agency_administrator_gives_roles_but_cannot_make_a_superuser(agency_admin):
    from django.contrib.auth.models import Group

    with schema_context("agency_civil_registration"):
        clerk_group = Group.objects.get(name=AgencyRole.REQUEST_CLERK)
    response = agency_admin.post(
        "/admin/users/new/",
        {
            "username": "zahra",
            "email": "zahra@example.org",
            "first_name": "زهرا",
            "last_name": "کریمی",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "is_active": "on",
            "is_superuser": "on",
            "groups": [clerk_group.pk],
        },
    )

    assert response.status_code == 302
    with schema_context("agency_civil_registration"):
        zahra = get_user_model().objects.get(username="zahra")
        assert not zahra.is_superuser
        assert list(zahra.groups.values_list("name", flat=True)) == [AgencyRole.REQUEST_CLERK]
        # Giving someone a role is in the audit log, with who did it.
        created = ModelLogEntry.objects.get(action="wagtail.create", object_id=str(zahra.pk))
        assert created.user.groups.filter(name=AgencyRole.ADMINISTRATOR).exists()
    assert denied(agency_admin.get("/admin/groups/"))
    assert denied(agency_admin.get(f"/admin/groups/edit/{clerk_group.pk}/"))


def test_an_agency_administrator_cannot_take_over_an_operators_account(agency_admin):
    from tenants.services import create_user_in_schema

    operator = create_user_in_schema(
        "agency_civil_registration", username="operator", password=PASSWORD, superuser=True
    )

    assert denied(agency_admin.get(f"/admin/users/edit/{operator.pk}/"))
    changed = agency_admin.post(
        f"/admin/users/edit/{operator.pk}/",
        {
            "username": "operator",
            "email": "x@example.org",
            "password1": "Stolen-pass-42x",
            "password2": "Stolen-pass-42x",
            "is_active": "on",
        },
    )
    assert denied(changed)
    with schema_context("agency_civil_registration"):
        operator.refresh_from_db()
        assert operator.check_password(PASSWORD) and operator.email == ""
