"""The editors' admin speaks Persian: every screen an agency's staff use, no English left.

Real roles (editor, reviewer, agency administrator, request clerk) log in on the
agency's host and open the screens they work in; the visible text (and title,
aria-label, placeholder and alt attributes) must hold no run of English words
but data (English page titles, user names) and a few names (PDF, CSV...).
"""

import io
import json
import re
from html.parser import HTMLParser

import pytest
from django.contrib.auth import get_user_model
from django_tenants.utils import schema_context
from wagtail.models import Locale, Page

from catalog_pages.models import ServicePage
from tenants.constants import AgencyRole
from tenants.models import Agency

pytestmark = pytest.mark.django_db

# Names, formats and examples that stay Latin in Persian text.
ALLOWED_WORDS = {
    # file formats and units
    *"PDF JPG JPEG PNG GIF WEBP AVIF XLSX CSV JSON PO MB KB UTC".split(),
    # Wagtail's examples of a slug and URL under the slug field, our catalogue format
    *"http https domain com blog my-slug service-catalog".split(),
    # a language's own name in the language menus
    "English",
}
# Tehran is the only time zone offered (WAGTAIL_USER_TIME_ZONES).
LATIN_RUN = re.compile(r"[A-Za-z][A-Za-z0-9'’\-]*(?:[\s.,:;!?/()&]+[A-Za-z][A-Za-z0-9'’\-]*)*")
WORD = re.compile(r"[A-Za-z][A-Za-z0-9\-]*")


class _VisibleText(HTMLParser):
    """The text a person sees or hears: nothing inside script, style, template or
    noscript. Elements marked ``hidden`` (side panels, dialogs) count: they open with a
    click; only Wagtail's placeholder "None" in its hidden counters (which its
    JavaScript fills in) is left out."""

    HIDDEN = {"script", "style", "template", "noscript"}
    SPOKEN = ("title", "aria-label", "placeholder", "alt", "aria-description")
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self._skipping = 0  # inside script, style...
        self._hidden: list[str] = []  # open elements marked hidden

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN:
            self._skipping += 1
        if self._skipping:
            return
        if tag not in self.VOID and (self._hidden or "hidden" in dict(attrs)):
            self._hidden.append(tag)
        for name, value in attrs:
            if name in self.SPOKEN and value:
                self.texts.append(value)

    def handle_endtag(self, tag):
        if tag in self.HIDDEN and self._skipping:
            self._skipping -= 1
        elif not self._skipping and self._hidden and self._hidden[-1] == tag:
            self._hidden.pop()

    def handle_data(self, data):
        text = data.strip()
        if self._skipping or not text or (self._hidden and text == "None"):
            return
        self.texts.append(text)


def visible_texts(html: str) -> list[str]:
    parser = _VisibleText()
    parser.feed(html)
    return parser.texts


def english_runs(html: str, data_words: set[str]) -> list[str]:
    """Runs of Latin words that are not data nor an allowed name."""
    allowed = {word.lower() for word in ALLOWED_WORDS | data_words}
    found = []
    for text in visible_texts(html):
        for run in LATIN_RUN.findall(text):
            if any(word.lower() not in allowed for word in WORD.findall(run)):
                found.append(run)
    return sorted(set(found))


@pytest.fixture
def agency(agency_client):
    return Agency.objects.get(slug="civil-registration")


@pytest.fixture
def desk(agency, staff_client):
    """The sample agency with a service in moderation and one being translated, and a
    logged-in client for each role."""
    from wagtail_localize.operations import TranslationCreator

    clients = {
        role: staff_client(agency, role, username=username)
        for role, username in [
            (AgencyRole.EDITOR, "editor"),
            (AgencyRole.REVIEWER, "reviewer"),
            (AgencyRole.ADMINISTRATOR, "chief"),
            (AgencyRole.REQUEST_CLERK, "clerk"),
        ]
    }
    with schema_context(agency.schema_name):
        users = get_user_model().objects
        editor = users.get(username="editor")
        service = ServicePage.objects.get(slug="birth-registration", locale__language_code="fa")
        service.title = "ثبت ولادت (ویرایش)"
        service.save_revision(user=editor, log_action=True)
        service.get_workflow().start(service, editor)
        # A new service translated with wagtail-localize (the English editor screen).
        index = service.get_parent()
        fresh = index.add_child(
            instance=ServicePage(
                title="خدمت تازه", slug="fresh-service", summary="خلاصه", live=False
            )
        )
        fresh.save_revision(user=editor)
        TranslationCreator(editor, [Locale.objects.get(language_code="en")]).create_translations(
            fresh
        )
        translated = fresh.get_translation(Locale.objects.get(language_code="en"))
        data_words = set()
        for title in Page.objects.values_list("title", flat=True):
            data_words |= set(WORD.findall(title))
        data_words |= set(WORD.findall(agency.name_en))
        data_words |= set(users.values_list("username", flat=True))
    return {
        "clients": clients,
        "service": service,
        "index": index,
        "home": index,
        "translated": translated,
        "fresh": fresh,
        "data_words": data_words,
    }


def _screens(desk, request_code):
    service, index, home = desk["service"], desk["index"], desk["home"]
    translated = desk["translated"]
    return {
        AgencyRole.EDITOR: [
            "/admin/",
            f"/admin/pages/{home.pk}/",
            f"/admin/pages/{service.pk}/edit/",
            f"/admin/pages/add/catalog_pages/servicepage/{index.pk}/",
            f"/admin/pages/{index.pk}/add_subpage/",
            f"/admin/pages/{service.pk}/history/",
            f"/admin/pages/{service.pk}/workflow_history/",
            f"/admin/pages/{service.pk}/usage/",
            "/admin/pages/search/?q=ولادت",
            "/admin/documents/",
            "/admin/documents/multiple/add/",
            "/admin/images/",
            "/admin/images/multiple/add/",
            "/admin/reports/locked/",
            "/admin/reports/aging-pages/",
            "/admin/reports/workflow/",
            "/admin/reports/workflow_tasks/",
            "/admin/account/",
            f"/admin/pages/{translated.pk}/edit/",
            "/admin/localize/reports/translations/",
        ],
        AgencyRole.REVIEWER: [
            "/admin/",
            f"/admin/pages/{service.pk}/edit/",
            f"/admin/pages/{service.pk}/history/",
            f"/admin/pages/{service.pk}/revisions/compare/earliest...latest/",
            "/admin/reports/workflow/",
        ],
        AgencyRole.ADMINISTRATOR: [
            "/admin/",
            "/admin/users/",
            "/admin/users/new/",
            "/admin/catalogue/import/",
            "/admin/reports/site-history/",
            "/admin/survey-results/",
        ],
        AgencyRole.REQUEST_CLERK: [
            "/admin/",
            "/admin/requests/",
            f"/admin/requests/{request_code}/",
            "/admin/account/",
        ],
    }


def _submitted_request_code(agency, client_for):
    """A citizen's request to the agency."""
    from .conftest import submit_sample_request

    return submit_sample_request(agency).tracking_code


def test_every_screen_staff_use_is_in_persian(agency, desk, client_for):
    code = _submitted_request_code(agency, client_for)
    problems = {}
    for role, urls in _screens(desk, code).items():
        client = desk["clients"][role]
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, f"{role} {url}: {response.status_code}"
            runs = english_runs(response.content.decode(), desk["data_words"])
            if runs:
                problems[f"{role} {url}"] = runs
    assert problems == {}, json.dumps(problems, ensure_ascii=False, indent=1)


def test_the_admins_javascript_strings_are_in_persian(agency, desk):
    """The JavaScript catalogues (Wagtail's and wagtail-localize's): the block chooser,
    autosave, comments, the translation editor."""
    client = desk["clients"][AgencyRole.EDITOR]
    wagtail = client.get("/admin/jsi18n/").content.decode()
    localize = client.get("/admin/localize/jsi18n/").content.decode()

    def catalogue(js: str) -> dict:
        return json.loads(re.search(r"const newcatalog = (\{.*?\});\n", js, re.S)[1])

    strings = catalogue(wagtail)
    assert strings["Insert a block"] == "درج بلوک"
    assert strings["Changes have been autosaved."] == "تغییرها خودکار ذخیره شدند."
    assert strings["Search options…"] == "گزینه‌های جست‌وجو…"
    assert catalogue(localize)["Translate"] == "ترجمه"
    assert catalogue(localize)["Upload PO file"] == "بارگذاری پرونده PO"


def test_an_editor_with_an_english_browser_still_gets_the_persian_admin(agency, desk):
    client = desk["clients"][AgencyRole.EDITOR]
    html = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert 'lang="fa" dir="rtl"' in html
    assert "داشبورد" in html
    login = client_for_login(agency).get("/admin/login/", HTTP_ACCEPT_LANGUAGE="en-US")
    assert 'lang="fa"' in login.content.decode()


def client_for_login(agency):
    from django.test import Client

    return Client(HTTP_HOST=agency.hostname)


def test_an_editor_who_chose_english_gets_it(agency, desk):
    with schema_context(agency.schema_name):
        from wagtail.users.models import UserProfile

        editor = get_user_model().objects.get(username="editor")
        profile = UserProfile.get_for_user(editor)
        profile.preferred_language = "en"
        profile.save()
    html = desk["clients"][AgencyRole.EDITOR].get("/admin/").content.decode()
    assert 'lang="en"' in html


def test_the_english_word_finder_catches_an_untranslated_string():
    html = '<main><h1>داشبورد</h1><button aria-label="Toggle sidebar">۱</button></main>'
    assert english_runs(html, set()) == ["Toggle sidebar"]
    hidden = '<div hidden><p>None</p><p>Saved</p></div><p title="Close">۱</p>'
    assert english_runs(hidden, set()) == ["Close", "Saved"]
    assert english_runs("<p>پرونده PDF و CSV</p><script>var a='Hello'</script>", set()) == []
    assert english_runs("<p>Birth registration</p>", {"Birth", "registration"}) == []


def test_the_moderation_workflow_is_named_in_persian(agency, desk):
    html = desk["clients"][AgencyRole.REVIEWER].get("/admin/").content.decode()
    assert "تأیید بازبین" in html  # the task awaiting the reviewer
    assert "Moderators approval" not in html
    from wagtail.models import Task, Workflow

    from tenants.roles import ensure_agency_roles

    with schema_context(agency.schema_name):
        Workflow.objects.update(name="Moderators approval")
        Task.objects.update(name="Moderators approval")
        ensure_agency_roles()  # as migrate_schemas does for every agency and the template
        assert set(Workflow.objects.values_list("name", flat=True)) == {"بازبینی و انتشار"}
        assert set(Task.objects.values_list("name", flat=True)) == {"تأیید بازبین"}


def _title(html: str) -> str:
    return re.search(r"<title>(.*?)</title>", html, re.S)[1].strip()


def _h1(html: str) -> str:
    return re.sub(r"\s+", " ", re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S)[1]).strip()


def test_the_agency_admin_is_titled_with_the_agency_name(agency, desk, client_for):
    name = "پنجرهٔ سازمان ثبت احوال کشور"
    login = client_for(agency.hostname).get("/admin/login/").content.decode()
    assert _title(login) == f"ورود - {name}"
    assert _h1(login) == f"ورود به {name}"

    dashboard = desk["clients"][AgencyRole.EDITOR].get("/admin/").content.decode()
    assert _title(dashboard) == f"داشبورد - {name}"
    assert _h1(dashboard) == name
    assert "Wagtail" not in _title(dashboard)


def test_the_national_admin_is_titled_national(agency, national_admin_client, client_for):
    login = client_for("localhost").get("/admin/login/").content.decode()
    assert _title(login) == "ورود - پنجره — مدیریت ملی"
    dashboard = national_admin_client.get("/admin/").content.decode()
    assert _title(dashboard) == "داشبورد - پنجره — مدیریت ملی"
    assert _h1(dashboard) == "پنجره — مدیریت ملی"


def test_the_strings_the_admin_hands_its_javascript_are_persian(agency, desk):
    """``wagtailConfig`` (month and weekday names, bulk actions) and the editor's block
    definitions (StreamField labels, help texts) are JSON for the browser to render."""
    html = desk["clients"][AgencyRole.EDITOR].get(f"/admin/pages/{desk['service'].pk}/edit/")
    html = html.content.decode()
    config = json.loads(
        re.search(
            r'<script id="wagtail-config" type="application/json">(.*?)</script>', html, re.S
        )[1]
    )

    def strings(value):
        if isinstance(value, dict):
            for item in value.values():
                yield from strings(item)
        elif isinstance(value, list):
            for item in value:
                yield from strings(item)
        elif isinstance(value, str):
            yield value

    english = sorted(
        text
        for text in strings(config.get("STRINGS", {}))
        if re.search(r"[A-Za-z]{3,}", re.sub(r"%\(\w+\)s", "", text))
    )
    assert english == []


def test_the_sidebar_shows_the_agencys_logo_named_with_the_agency(agency, desk, settings, tmp_path):
    from django.core.files.images import ImageFile
    from wagtail.images.models import Image
    from wagtail.models import Site

    from themes.models import AgencyBranding

    from .conftest import make_image

    client = desk["clients"][AgencyRole.EDITOR]
    default = client.get("/admin/").content.decode()
    assert "<template data-wagtail-sidebar-branding-logo></template>" in default  # Wagtail's

    settings.MEDIA_ROOT = tmp_path
    with schema_context(agency.schema_name):
        logo = Image.objects.create(
            title="نشان", file=ImageFile(io.BytesIO(make_image()), name="logo.png")
        )
        branding = AgencyBranding.for_site(Site.objects.get(is_default_site=True))
        branding.logo = logo
        branding.save()
    html = client.get("/admin/").content.decode()
    sidebar = re.search(
        r"<template data-wagtail-sidebar-branding-logo>(.*?)</template>", html, re.S
    )
    assert 'alt="پنجرهٔ سازمان ثبت احوال کشور"' in sidebar[1]
    assert "<img" in sidebar[1]
