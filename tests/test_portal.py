"""The national portal's home as a single window, its lists of services and agencies,
and the national topic and life-event lists behind them."""

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from catalog_pages.catalog_format.convert import canonical_service
from search.backends import get_backend
from search.documents import build_document
from search.models import QueryLog
from taxonomy.models import LifeEvent, Topic
from taxonomy.selectors import unknown_slugs
from tenants.constants import AgencyKind, AgencyRole
from tenants.models import Agency

from .fixtures.search_catalogues import service

pytestmark = pytest.mark.django_db


def _service(slug, title, *, delivery="full", audience="citizen", topics=(), life_events=()):
    described = service(slug, title, title, f"{title} برای همه.")
    described.update(
        delivery=delivery, audience=audience, topics=list(topics), life_events=list(life_events)
    )
    return described


def index(agency, services) -> None:
    """Index services of the catalogue format (Persian and English) for ``agency``."""
    documents = []
    for described in services:
        described = canonical_service(described)
        key = uuid.uuid4()
        for language in ("fa", "en"):
            documents.append(
                build_document(
                    described,
                    language=language,
                    translation_key=key,
                    url=f"http://{agency.slug}.localhost/{described['slug']}/",
                    apply_url=f"http://{agency.slug}.localhost/apply/{described['slug']}/",
                )
            )
    get_backend().bulk_add(agency, documents)


def agency(slug, name_fa, *, kind=AgencyKind.ORGANIZATION, province="", is_active=True):
    """An agency row only (no schema): the portal lists index rows, never pages."""
    return Agency.objects.create(
        schema_name=f"agency_{slug.replace('-', '_')}",
        slug=slug,
        name_fa=name_fa,
        kind=kind,
        province=province,
        is_active=is_active,
    )


@pytest.fixture
def listed(db):
    civil = agency("civil-registration", "سازمان ثبت احوال کشور")
    index(
        civil,
        [
            _service(
                "birth-registration",
                "ثبت ولادت و صدور شناسنامه",
                topics=["identity-civil"],
                life_events=["birth"],
            ),
            _service(
                "smart-national-id-card",
                "صدور کارت هوشمند ملی",
                delivery="partial",
                topics=["identity-civil"],
            ),
            _service(
                "death-certificate", "صدور گواهی فوت", delivery="in_person", life_events=["death"]
            ),
        ],
    )
    health = agency("health-insurance", "سازمان بیمه سلامت", kind=AgencyKind.ORGANIZATION)
    index(
        health,
        [
            _service(
                "newborn-insurance",
                "بیمه نوزاد",
                topics=["health"],
                life_events=["birth"],
            ),
            _service(
                "business-insurance",
                "بیمه کارفرمایان",
                audience="business",
                topics=["health", "employment-insurance"],
            ),
        ],
    )
    ministry = agency("ministry-health", "وزارت بهداشت", kind=AgencyKind.MINISTRY)
    index(ministry, [_service("staff-training", "آموزش کارکنان", audience="government_staff")])
    agency(
        "isfahan-roads",
        "اداره کل راه اصفهان",
        kind=AgencyKind.PROVINCIAL_OFFICE,
        province="isfahan",
    )
    closed = agency("closed-agency", "دستگاه تعطیل‌شده", is_active=False)
    index(closed, [_service("ghost", "خدمت پنهان", topics=["health"], life_events=["birth"])])
    return {"civil": civil, "health": health, "ministry": ministry, "closed": closed}


def _clicks(agency_slug, service_slug, times, *, days_ago=1):
    logs = QueryLog.objects.bulk_create(
        QueryLog(
            query="q",
            language="fa",
            result_count=1,
            clicked_position=1,
            clicked_agency=agency_slug,
            clicked_service=service_slug,
        )
        for _ in range(times)
    )
    QueryLog.objects.filter(pk__in=[log.pk for log in logs]).update(
        created_at=timezone.now() - timedelta(days=days_ago)
    )


def _text(response) -> str:
    return response.content.decode()


def _section(html: str, heading_id: str) -> str:
    start = html.index(f'id="{heading_id}"')
    end = html.find("</section>", start)
    return html[start:end]


# --- The home page --------------------------------------------------------------------


def test_the_home_offers_search_and_tracking_that_submits_to_the_tracking_page(listed, client_for):
    response = client_for("localhost").get("/")
    html = _text(response)

    assert response.status_code == 200
    assert 'action="/search/"' in html and 'name="q"' in html
    track = _section(html, "track-heading")
    assert "پیگیری درخواست من" in track
    assert 'action="/track/"' in track and 'method="get"' in track
    assert 'name="code"' in track and '<label for="home-track-code"' in track
    # The tracking page answers the form as it is sent.
    answer = client_for("localhost").get("/track/", {"code": "1234"})
    assert answer.status_code == 200 and "این کد رهگیری معتبر نیست" in _text(answer)


def test_the_home_shows_life_event_topic_and_audience_tiles_with_persian_counts(listed, client_for):
    html = _text(client_for("localhost").get("/"))

    events = _section(html, "life-events-heading")
    # Two listed services for a birth (the inactive agency's one is not counted).
    assert 'href="/services/?life_event=birth"' in events
    assert "تولد فرزند" in events and "۲ خدمت" in events
    assert events.count('<a class="tile') == LifeEvent.objects.filter(is_active=True).count() == 12
    topics = _section(html, "topics-heading")
    assert 'href="/services/?topic=health"' in topics and "سلامت و درمان" in topics
    assert "کسب‌وکار و مجوزها" in topics and "۰ خدمت" in topics
    audiences = _section(html, "audiences-heading")
    for label in ("شهروندان", "کسب‌وکارها", "کارکنان دولت"):
        assert label in audiences
    assert 'href="/services/?audience=government_staff"' in audiences
    assert "۴ خدمت" in audiences  # citizens: four listed services


def test_the_most_used_services_come_from_recent_clicks_of_listed_services(listed, client_for):
    _clicks("health-insurance", "newborn-insurance", 5)
    _clicks("civil-registration", "birth-registration", 3)
    _clicks("civil-registration", "birth-registration", 50, days_ago=120)  # too old
    _clicks("closed-agency", "ghost", 90)  # an inactive agency
    _clicks("civil-registration", "removed-service", 70)  # no longer published

    html = _text(client_for("localhost").get("/"))

    popular = _section(html, "popular-heading")
    assert popular.index("بیمه نوزاد") < popular.index("ثبت ولادت و صدور شناسنامه")
    assert "سازمان بیمه سلامت" in popular
    assert "خدمت پنهان" not in popular and "removed-service" not in popular
    assert popular.count("<li") == 2


def test_without_clicks_the_most_used_section_is_not_shown(listed, client_for):
    html = _text(client_for("localhost").get("/"))

    assert 'id="popular-heading"' not in html


def test_agencies_are_grouped_by_kind_with_their_online_services(listed, client_for):
    html = _text(client_for("localhost").get("/"))

    agencies = _section(html, "agencies-heading")
    assert agencies.index("وزارتخانه") < agencies.index("سازمان دولتی")
    assert "سازمان ثبت احوال کشور" in agencies
    # Two of its three services can be applied for online (full or partial).
    assert "۲ خدمت الکترونیکی" in agencies
    assert 'href="/services/?agency=civil-registration"' in agencies
    assert "دستگاه تعطیل‌شده" not in agencies
    assert "هنوز خدمت الکترونیکی ندارد" in agencies  # the Isfahan office


def test_agencies_can_be_grouped_by_province_and_long_groups_link_to_their_full_list(
    listed, client_for
):
    for number in range(8):
        agency(f"isfahan-{number}", f"اداره اصفهان {number}", province="isfahan")

    html = _text(client_for("localhost").get("/", {"agencies": "province"}))

    agencies = _section(html, "agencies-heading")
    assert agencies.index("دستگاه‌های ملی") < agencies.index("اصفهان")
    assert 'href="/agencies/?province=isfahan"' in agencies  # 9 agencies, 6 shown
    assert 'aria-current="true">بر حسب استان' in agencies
    full = client_for("localhost").get("/agencies/", {"province": "isfahan"})
    assert full.status_code == 200
    assert _text(full).count('class="card__title"') == 9


def test_the_home_page_makes_few_queries_cold_and_fewer_warm(
    listed, client_for, django_assert_max_num_queries, capsys
):
    _clicks("health-insurance", "newborn-insurance", 5)
    for number in range(40):
        agency(f"agency-{number}", f"دستگاه {number}", province="tehran")
    client = client_for("localhost")

    with django_assert_max_num_queries(25) as cold:
        assert client.get("/").status_code == 200
    with django_assert_max_num_queries(3) as warm:
        assert client.get("/").status_code == 200
    with capsys.disabled():
        print(f"\nportal home: {len(cold)} queries cold, {len(warm)} warm")


def test_a_new_topic_shows_on_the_home_at_once(
    listed, client_for, django_capture_on_commit_callbacks
):
    client = client_for("localhost")
    client.get("/")  # the summary is now cached

    with django_capture_on_commit_callbacks(execute=True):
        Topic.objects.create(slug="culture", name_fa="فرهنگ و هنر", sort_order=99)

    assert "فرهنگ و هنر" in _text(client.get("/"))


def test_the_home_says_so_when_no_agency_has_joined(db, client_for):
    html = _text(client_for("localhost").get("/"))

    assert "هنوز هیچ دستگاهی به پنجره نپیوسته است" in html


# --- Browsing services ----------------------------------------------------------------


def test_a_life_event_lists_its_services_with_agency_badge_and_form(listed, client_for):
    response = client_for("localhost").get("/services/", {"life_event": "birth"})
    html = _text(response)

    assert response.status_code == 200
    assert "<h1>تولد فرزند</h1>" in html
    assert "ثبت ولادت و صدور شناسنامه" in html and "بیمه نوزاد" in html
    assert "سازمان ثبت احوال کشور" in html and "سازمان بیمه سلامت" in html
    assert "خدمت پنهان" not in html  # inactive agency
    assert "صدور کارت هوشمند ملی" not in html  # another life event
    assert 'href="http://civil-registration.localhost/apply/birth-registration/"' in html
    assert "درخواست برخط" in html and "۲ خدمت" in html


def test_in_person_services_have_no_form_link(listed, client_for):
    html = _text(client_for("localhost").get("/services/", {"life_event": "death"}))

    assert "صدور گواهی فوت" in html
    assert "/apply/death-certificate/" not in html
    assert "فقط حضوری" in html


def test_services_filter_by_topic_audience_and_agency_together(listed, client_for):
    client = client_for("localhost")

    business = _text(client.get("/services/", {"topic": "health", "audience": "business"}))
    agency_only = _text(client.get("/services/", {"agency": "civil-registration"}))

    assert "بیمه کارفرمایان" in business and "بیمه نوزاد" not in business
    assert "<h1>سلامت و درمان</h1>" in business
    assert agency_only.count('class="card__title"') == 3
    assert "سازمان ثبت احوال کشور" in agency_only


def test_an_empty_topic_says_so(listed, client_for):
    response = client_for("localhost").get("/services/", {"topic": "agriculture"})

    assert response.status_code == 200
    assert "هنوز خدمتی در این فهرست نیست" in _text(response)


@pytest.mark.parametrize(
    "params",
    [
        {"topic": "no-such-topic"},
        {"life_event": "<script>"},
        {"audience": "aliens"},
        {"agency": "closed-agency"},
        {"topic": "x" * 5000},
        {"topic": "no-topic\x00"},
        {"agency": "دستگاه"},
    ],
)
def test_unknown_filters_are_a_clear_404_never_a_500(listed, client_for, params):
    response = client_for("localhost").get("/services/", params)

    assert response.status_code == 404
    assert 'role="alert"' in _text(response)
    assert "<script>" not in _text(response)


def test_control_characters_in_a_filter_are_ignored(listed, client_for):
    response = client_for("localhost").get("/services/", {"topic": "health\x00"})

    assert response.status_code == 200 and "<h1>سلامت و درمان</h1>" in _text(response)


def test_services_are_paginated_keeping_the_filter(listed, client_for):
    many = agency("many", "دستگاه پرخدمت")
    index(
        many, [_service(f"service-{n:02}", f"خدمت {n:02}", topics=["welfare"]) for n in range(45)]
    )
    client = client_for("localhost")

    first = _text(client.get("/services/", {"topic": "welfare"}))
    third = _text(client.get("/services/", {"topic": "welfare", "page": "۳"}))
    beyond = client.get("/services/", {"topic": "welfare", "page": "99999999999"})

    assert first.count('class="card__title"') == 20
    assert 'href="?topic=welfare&amp;page=2"' in first
    assert "صفحه ۱ از ۳" in first
    assert third.count('class="card__title"') == 5 and "خدمت 44" in third
    assert beyond.status_code == 200


def test_unknown_agency_groups_are_a_clear_404(db, client_for):
    response = client_for("localhost").get("/agencies/", {"kind": "spaceship"})

    assert response.status_code == 404 and 'role="alert"' in _text(response)


def test_the_portal_lists_answer_only_on_the_portal(listed, onboard, client_for):
    onboarded = onboard().agency

    assert client_for(onboarded.hostname).get("/services/").status_code == 404


# --- The national lists -----------------------------------------------------------------


def test_the_initial_lists_are_seeded_with_fixed_slugs():
    assert list(Topic.objects.values_list("slug", flat=True))[:3] == [
        "identity-civil",
        "health",
        "education",
    ]
    assert Topic.objects.count() == 13 and LifeEvent.objects.count() == 12
    assert LifeEvent.objects.get(slug="travel-abroad").name_fa == "سفر به خارج از کشور"


def test_unknown_slugs_are_reported_in_order():
    LifeEvent.objects.filter(slug="retirement").update(is_active=False)

    assert unknown_slugs(
        ["health", "space", "space", "education"], ["birth", "retirement", "x"]
    ) == (
        ["space"],
        ["x"],
    )
    assert unknown_slugs([], None) == ([], [])


def test_a_national_administrator_adds_a_topic_at_the_end_and_reorders_it(national_admin_client):
    client = national_admin_client

    listing = client.get("/admin/taxonomy_topics/")
    added = client.post(
        "/admin/taxonomy_topics/new/",
        {
            "slug": "culture",
            "name_fa": "فرهنگ و هنر",
            "name_en": "Culture",
            "description_fa": "",
            "description_en": "",
            "is_active": "on",
        },
    )
    topic = Topic.objects.get(slug="culture")
    moved = client.post(f"/admin/taxonomy_topics/reorder/{topic.pk}/?position=0")

    assert listing.status_code == 200 and "هویت و ثبت احوال" in _text(listing)
    assert "?ordering=sort_order" in _text(listing)  # Wagtail's drag-and-drop ordering
    assert added.status_code == 302
    assert topic.sort_order == 13  # after the 13 seeded topics
    assert moved.status_code == 200
    assert Topic.objects.first().slug == "culture"
    assert list(Topic.objects.values_list("slug", flat=True))[1] == "identity-civil"


def test_a_duplicate_slug_is_refused_with_a_message(national_admin_client):
    response = national_admin_client.post(
        "/admin/taxonomy_life_events/new/",
        {"slug": "birth", "name_fa": "تکراری", "is_active": "on"},
    )

    assert response.status_code == 200
    assert LifeEvent.objects.filter(slug="birth").count() == 1


def test_the_lists_are_national_administrators_only(listed, onboard, staff_client, national_client):
    from tenants.constants import NationalRole

    onboarded = onboard().agency
    agency_admin = staff_client(onboarded, AgencyRole.ADMINISTRATOR)
    supervisor = national_client(NationalRole.PROVINCIAL_SUPERVISOR)

    for path in ("/admin/taxonomy_topics/", "/admin/taxonomy_life_events/new/"):
        assert agency_admin.get(path).status_code == 404  # not on an agency's host
        assert supervisor.get(path).status_code in (302, 403)
    assert (
        agency_admin.post(
            "/admin/taxonomy_topics/new/", {"slug": "via-agency", "name_fa": "x"}
        ).status_code
        == 404
    )
    assert not Topic.objects.filter(slug="via-agency").exists()
    assert "taxonomy_topics" not in _text(supervisor.get("/admin/"))


def test_the_english_home_names_topics_and_life_events_in_english(listed, client_for):
    client = client_for("localhost")

    home = _text(client.get("/en/"))
    health = _text(client.get("/en/services/", {"topic": "health"}))

    assert 'dir="ltr"' in home
    assert "Having a child" in home and "Health" in home
    assert 'href="/en/services/?life_event=birth"' in home
    assert "<h1>Health</h1>" in health


def test_the_home_answers_head_and_refuses_post(db, client_for):
    client = client_for("localhost")

    assert client.head("/").status_code == 200
    assert client.post("/").status_code == 405
