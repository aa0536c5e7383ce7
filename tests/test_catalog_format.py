"""Importing and exporting agency catalogues (service-catalog/1)."""

import copy
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django_tenants.utils import schema_context

from catalog_pages.catalog_format.convert import dumps
from catalog_pages.models import ServicePage
from catalog_pages.selectors import export_catalogue
from catalog_pages.services import import_catalogue
from tenants.models import Agency

SAMPLE = (
    Path(__file__).resolve().parents[1] / "catalog_pages" / "catalog_format" / "sample-agency.json"
)
SHARED = Path(__file__).resolve().parents[2] / "shared" / "catalog-format"


def sample() -> dict:
    return json.loads(SAMPLE.read_text(encoding="utf-8"))


def raw(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False)


def database_state() -> tuple:
    agencies = list(Agency.objects.order_by("slug").values_list("slug", "name_fa"))
    pages = []
    for agency in Agency.objects.all():
        with schema_context(agency.schema_name):
            pages += list(ServicePage.objects.order_by("path").values_list("slug", "title", "live"))
    return agencies, pages


@pytest.mark.skipif(not SHARED.exists(), reason="shared/catalog-format is not beside this checkout")
def test_our_copies_of_the_schema_and_sample_are_identical_to_the_shared_ones():
    ours = Path(__file__).resolve().parents[1] / "catalog_pages" / "catalog_format" / "schema.json"
    assert ours.read_bytes() == (SHARED / "schema.json").read_bytes()
    assert SAMPLE.read_bytes() == (SHARED / "sample-agency.json").read_bytes()


@pytest.mark.django_db
def test_sample_imports_onboarding_the_agency_and_publishing_its_services():
    report = import_catalogue(SAMPLE.read_bytes())

    assert report.ok, report.errors
    assert report.agency_created
    assert sorted(report.created) == ["birth-registration", "smart-national-id-card"]
    with schema_context(report.agency.schema_name):
        card = ServicePage.objects.get(slug="smart-national-id-card", locale__language_code="fa")
        assert card.live and card.title == "صدور کارت هوشمند ملی"
        assert [step.title for step in card.steps.all()][0] == "ثبت درخواست و پرداخت هزینه"
        english = card.get_translations().get(locale__language_code="en").specific
        assert english.title == "Smart national ID card issuance" and english.live
        birth = ServicePage.objects.get(slug="birth-registration", locale__language_code="fa")
        assert birth.is_free and not birth.package_gaps()


@pytest.mark.django_db
def test_reimporting_the_same_file_changes_nothing():
    import_catalogue(SAMPLE.read_bytes())
    with schema_context(Agency.objects.get().schema_name):
        revisions = sum(page.revisions.count() for page in ServicePage.objects.all())

    report = import_catalogue(SAMPLE.read_bytes())

    assert not report.changed
    assert sorted(report.unchanged) == ["birth-registration", "smart-national-id-card"]
    with schema_context(report.agency.schema_name):
        assert sum(page.revisions.count() for page in ServicePage.objects.all()) == revisions


@pytest.mark.django_db
def test_export_then_import_into_a_fresh_agency_then_export_is_byte_identical():
    import_catalogue(SAMPLE.read_bytes())
    first = dumps(export_catalogue(Agency.objects.get(slug="civil-registration")))

    moved = json.loads(first)
    moved["agency"]["slug"] = "civil-registration-copy"
    assert import_catalogue(raw(moved)).ok
    second = json.loads(dumps(export_catalogue(Agency.objects.get(slug="civil-registration-copy"))))
    second["agency"]["slug"] = "civil-registration"

    assert dumps(second) == first


@pytest.mark.django_db
def test_export_command_writes_a_valid_deterministic_file(tmp_path, capsys):
    import_catalogue(SAMPLE.read_bytes())
    call_command("export_catalog", "civil-registration", "-o", str(tmp_path / "a.json"))
    call_command("export_catalog", "civil-registration")
    printed = capsys.readouterr().out

    assert printed == (tmp_path / "a.json").read_text(encoding="utf-8")
    from catalog_pages.catalog_format.validation import validate

    assert validate(json.loads(printed)) == ([], [])


@pytest.mark.django_db
def test_services_missing_from_a_reimport_are_unpublished_not_deleted():
    import_catalogue(SAMPLE.read_bytes())
    data = sample()
    data["services"] = [s for s in data["services"] if s["slug"] != "birth-registration"]

    report = import_catalogue(raw(data))

    assert report.unpublished == ["birth-registration"]
    with schema_context(report.agency.schema_name):
        page = ServicePage.objects.get(slug="birth-registration", locale__language_code="fa")
        assert not page.live
        assert not page.get_translations().filter(live=True).exists()


@pytest.mark.django_db
def test_a_changed_service_is_updated_in_place():
    import_catalogue(SAMPLE.read_bytes())
    data = sample()
    data["services"][1]["duration_days"] = 5
    data["services"][1]["steps"].append({"title": {"fa": "بایگانی"}})

    report = import_catalogue(raw(data))

    assert report.updated == ["birth-registration"]
    with schema_context(report.agency.schema_name):
        page = ServicePage.objects.get(slug="birth-registration", locale__language_code="fa")
        assert page.duration_days == 5
        assert page.steps.count() == 4


def _broken(mutate) -> dict:
    data = sample()
    mutate(data)
    return data


INVALID = {
    "bad enum": (
        lambda d: d["services"][0].__setitem__("delivery", "by_pigeon"),
        "$.services[0].delivery",
    ),
    "missing field": (lambda d: d["services"][1].pop("complaint_procedure"), "$.services[1]"),
    "duplicate slug": (
        lambda d: d["services"][1].__setitem__("slug", "smart-national-id-card"),
        "$.services[1].slug",
    ),
    "duplicate document": (
        lambda d: d["services"][0]["documents"].append(
            copy.deepcopy(d["services"][0]["documents"][0])
        ),
        "$.services[0].documents[2].slug",
    ),
    "1 MB title": (
        lambda d: d["services"][0]["title"].__setitem__("fa", "ا" * 1_000_000),
        "$.services[0].title.fa",
    ),
    "own parent": (
        lambda d: d["agency"].__setitem__("parent", "civil-registration"),
        "$.agency.parent",
    ),
    "unknown province": (
        lambda d: d["agency"].__setitem__("province", "آتلانتیس"),
        "$.agency.province",
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("case", sorted(INVALID))
def test_invalid_files_are_rejected_with_their_json_path_and_change_nothing(case):
    import_catalogue(SAMPLE.read_bytes())
    before = database_state()
    mutate, path = INVALID[case]

    report = import_catalogue(raw(_broken(mutate)))

    assert not report.ok
    assert path in [problem.path for problem in report.errors]
    assert database_state() == before


@pytest.mark.django_db
def test_truncated_json_is_rejected_with_its_position():
    text = SAMPLE.read_text(encoding="utf-8")

    report = import_catalogue(text[: len(text) // 2])

    assert not report.ok
    assert report.errors[0].path == "$"
    assert "JSON" in report.errors[0].message
    assert not Agency.objects.exists()


@pytest.mark.django_db
def test_every_problem_is_reported_at_once():
    data = sample()
    data["services"][0]["delivery"] = "by_pigeon"
    data["services"][1]["level"] = "galactic"

    report = import_catalogue(raw(data))

    paths = [problem.path for problem in report.errors]
    assert "$.services[0].delivery" in paths and "$.services[1].level" in paths


@pytest.mark.django_db
def test_import_command_lists_problems_and_exits_non_zero(tmp_path, capsys):
    broken = tmp_path / "broken.json"
    broken.write_text(raw(_broken(INVALID["bad enum"][0])), encoding="utf-8")

    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_catalog", str(broken))

    assert "$.services[0].delivery" in capsys.readouterr().err
    assert not Agency.objects.exists()


@pytest.mark.django_db
def test_dry_run_reports_but_saves_nothing(capsys):
    call_command("import_catalog", str(SAMPLE), "--dry-run")

    out = capsys.readouterr().out
    assert "2 created" in out and "Dry run" in out
    assert not Agency.objects.exists()


@pytest.mark.django_db
def test_unpublished_languages_are_warned_about_not_silently_lost():
    data = sample()
    data["services"][0]["title"]["ar"] = "بطاقة الهوية"

    report = import_catalogue(raw(data))

    assert report.ok
    assert [w.path for w in report.warnings] == ["$.services[0].title.ar"]


@pytest.mark.django_db
def test_a_service_lacking_its_fee_section_is_kept_as_a_draft():
    data = sample()
    del data["services"][1]["fees"]

    report = import_catalogue(raw(data))

    assert list(report.drafts) == ["birth-registration"]
    with schema_context(report.agency.schema_name):
        assert not ServicePage.objects.get(
            slug="birth-registration", locale__language_code="fa"
        ).live


@pytest.mark.django_db
def test_hostile_text_is_stored_as_text_and_rendered_escaped(client_for):
    data = sample()
    data["services"][0]["title"]["fa"] = '<script>alert("x")</script>کارت'

    report = import_catalogue(raw(data))

    html = (
        client_for("civil-registration.localhost").get("/smart-national-id-card/").content.decode()
    )
    assert report.ok
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert" in html
