"""Onboarding an agency: one transaction, clear errors, a working site and admin."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django_tenants.utils import schema_context, schema_exists
from wagtail.models import Locale, Page, Site

from catalog_pages.models import AgencyHomePage
from tenants import services
from tenants.models import Agency, Domain, EditorInvitation, SchemaTemplate
from tenants.schema_template import SchemaTemplateError


@pytest.mark.django_db
def test_onboarding_creates_schema_domain_site_home_locales_and_invitation(onboard):
    result = onboard(slug="civil-registration", name_fa="سازمان ثبت احوال کشور")
    agency = result.agency

    assert agency.schema_name == "agency_civil_registration"
    assert schema_exists(agency.schema_name)
    assert Domain.objects.get(tenant=agency).domain == "civil-registration.localhost"
    assert result.invitation_url.startswith("http://civil-registration.localhost/invitation/")
    assert EditorInvitation.objects.filter(agency=agency, accepted_at=None).count() == 1
    with schema_context(agency.schema_name):
        site = Site.objects.get()
        assert site.is_default_site
        assert site.root_page.specific.title == "سازمان ثبت احوال کشور"
        assert isinstance(site.root_page.specific, AgencyHomePage)
        assert set(Locale.objects.values_list("language_code", flat=True)) == {"fa", "en"}
        assert Page.objects.filter(depth=2).count() == 1


@pytest.mark.django_db
def test_a_failure_after_the_schema_is_created_leaves_nothing_behind(onboard):
    from tenants.signals import agency_schema_created

    def broken_site(sender, agency, **kwargs):
        assert schema_exists(agency.schema_name)  # the failure really is after the schema
        raise RuntimeError("disk full")

    agency_schema_created.connect(broken_site, sender=Agency)
    try:
        with pytest.raises(RuntimeError, match="disk full"):
            onboard(slug="half-done")
    finally:
        agency_schema_created.disconnect(broken_site, sender=Agency)

    connection.set_schema_to_public()
    assert not schema_exists("agency_half_done")
    assert not Agency.objects.filter(slug="half-done").exists()
    assert not Domain.objects.filter(domain__startswith="half-done.").exists()
    assert not EditorInvitation.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("slug", "fragment"),
    [
        ("Tax Office", "حروف کوچک لاتین"),
        ("مالیات", "حروف کوچک لاتین"),
        ("-tax", "حروف کوچک لاتین"),
        ("tax--office", "حروف کوچک لاتین"),
        ("x" * 57, "حداکثر 56 نویسه"),
        ("www", "رزرو شده"),
        ("", "نامک دستگاه"),
    ],
)
def test_a_bad_slug_is_refused_with_a_clear_message(slug, fragment):
    with pytest.raises(services.OnboardingError) as caught:
        services.onboard_agency(slug=slug, name_fa="سازمان")

    assert fragment in " ".join(caught.value.errors["slug"])
    assert not Agency.objects.exists()


@pytest.mark.django_db
def test_messages_follow_the_language_of_the_interface():
    from django.utils import translation

    with translation.override("en"), pytest.raises(services.OnboardingError) as caught:
        services.onboard_agency(slug="Bad Slug", name_fa="")

    assert "lower-case Latin letters" in caught.value.errors["slug"][0]
    assert "Persian name" in caught.value.errors["name_fa"][0]


@pytest.mark.django_db
def test_a_duplicate_agency_is_refused_and_the_first_is_untouched(onboard):
    first = onboard(slug="tax", name_fa="سازمان امور مالیاتی").agency

    with pytest.raises(services.OnboardingError) as caught:
        onboard(slug="tax", name_fa="نام دیگر")

    assert "از پیش وجود دارد" in caught.value.errors["slug"][0]
    assert Agency.objects.get(slug="tax").name_fa == first.name_fa


@pytest.mark.django_db
def test_onboard_agency_command_prints_site_and_invitation(capsys):
    call_command("onboard_agency", "post", "--name", "شرکت ملی پست", "--name-en", "Iran Post")

    out = capsys.readouterr().out
    assert "http://post.localhost/" in out
    assert "http://post.localhost/invitation/" in out
    assert Agency.objects.get(slug="post").name_en == "Iran Post"


@pytest.mark.django_db
def test_onboard_agency_command_fails_with_the_reason_for_a_duplicate(onboard):
    onboard(slug="post")

    with pytest.raises(CommandError, match="از پیش وجود دارد"):
        call_command("onboard_agency", "post", "--name", "پست")


@pytest.mark.django_db
def test_onboarding_explains_when_the_template_schema_is_missing():
    SchemaTemplate.objects.all().delete()

    with pytest.raises(SchemaTemplateError, match="migrate_schemas"):
        services.onboard_agency(slug="early", name_fa="زودهنگام")

    assert not Agency.objects.filter(slug="early").exists()


@pytest.mark.django_db
def test_onboarding_refuses_a_template_older_than_the_code():
    template = SchemaTemplate.objects.get()
    template.migrations = template.migrations[:-1]
    template.save()

    with pytest.raises(SchemaTemplateError, match="older than the code"):
        services.onboard_agency(slug="late", name_fa="دیرهنگام")


@pytest.mark.django_db
def test_onboard_agency_command_accepts_a_parent_that_arrives_later(capsys):
    call_command("onboard_agency", "post-fars", "--name", "اداره کل پست فارس", "--parent", "post")
    child = Agency.objects.get(slug="post-fars")
    assert (child.parent_id, child.parent_slug) == (None, "post")

    call_command("onboard_agency", "post", "--name", "شرکت ملی پست")

    child.refresh_from_db()
    assert child.parent.slug == "post"
    assert "post-fars" in capsys.readouterr().out  # the children it linked
