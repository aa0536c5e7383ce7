"""Importing catalogues: lists keep the file's order, parents may arrive later, folders."""

import copy
import importlib
import io
import json
import re
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.core.management import CommandError, call_command
from django.db import connection
from django_tenants.utils import schema_context
from wagtail.models import Locale, Revision

from catalog_pages import models
from catalog_pages.catalog_format.convert import canonical_service, dumps
from catalog_pages.selectors import export_catalogue
from catalog_pages.services import import_catalogue
from tenants import services as tenant_services
from tenants.models import Agency

from .conftest import form_url

SAMPLE = (
    Path(__file__).resolve().parents[1] / "catalog_pages" / "catalog_format" / "sample-agency.json"
)


def sample() -> dict:
    return json.loads(SAMPLE.read_text(encoding="utf-8"))


def raw(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False)


def text(fa: str, en: str | None = None) -> dict:
    return {"fa": fa, **({"en": en} if en else {})}


# --- order ------------------------------------------------------------------------------

# Form fields of every type, in reverse alphabetical order of their names.
FIELDS = [
    ("zip_code", "postal_code", "کد پستی"),
    ("yes_consent", "checkbox", "رضایت"),
    ("x_notes", "textarea", "توضیحات"),
    ("weight", "number", "وزن"),
    ("vehicle", "choice", "خودرو"),
    ("user_email", "email", "رایانامه"),
    ("tax_id", "text", "شناسه مالیاتی"),
    ("spouse_id", "national_id", "کد ملی همسر"),
    ("phone", "mobile", "همراه"),
    ("date_of_birth", "jalali_date", "تاریخ تولد"),
]
# An optional document first, required ones after, neither alphabetical nor by requirement.
DOCUMENTS = [
    ("m-optional-letter", False, "مدرک م: نامه اختیاری"),
    ("z-passport", True, "مدرک ی: گذرنامه"),
    ("b-photo", True, "مدرک ب: عکس"),
    ("a-old-card", False, "مدرک الف: کارت قدیمی"),
]


def unordered_catalogue() -> dict:
    """The sample, its first service's lists in orders no sort would produce."""
    data = sample()
    data["agency"]["addresses"] = [
        {"title": text("دفتر ی", "Office Y"), "address": text("نشانی ی")},
        {"title": text("دفتر الف"), "address": text("نشانی الف")},
        {"title": text("دفتر م", "Office M"), "address": text("نشانی م")},
    ]
    service = data["services"][0]
    service["desk_modes"] = ["on_the_spot", "information", "intake"]
    service["keywords"] = ["هوشمند", "کارت ملی", "الف"]
    service["topics"] = ["identity", "civil-status"]
    service["steps"] = [
        {"title": text(title), "duration_days": days}
        for title, days in (("گام زیتون", 3), ("گام انار", 1), ("گام گردو", 2))
    ]
    service["documents"] = [
        {"slug": slug, "title": text(title), "required": required, "formats": ["png", "pdf"]}
        for slug, required, title in DOCUMENTS
    ]
    service["fees"] = [
        {"title": text("هزینه زیتون"), "amount_rials": 900},
        {"title": text("هزینه انار"), "amount_rials": 100},
        {"title": text("هزینه گردو"), "amount_rials": 500},
    ]
    service["laws"] = [{"title": text(f"قانون {letter}")} for letter in ("زیتون", "انار", "گردو")]
    service["faqs"] = [
        {"question": text(f"پرسش {letter}؟"), "answer": text(f"پاسخ {letter}")}
        for letter in ("زیتون", "انار", "گردو")
    ]
    service["inquiries"] = [
        {"title": text(f"استعلام {letter}"), "from_agency": f"دستگاه {letter}"}
        for letter in ("زیتون", "انار", "گردو")
    ]
    service["form_fields"] = [
        {
            "name": name,
            "label": text(label, name.replace("_", " ").title() if index % 3 == 0 else None),
            "type": kind,
            **(
                {"choices": [text("وانت"), text("سواری", "Car"), text("اتوبوس")]}
                if kind == "choice"
                else {}
            ),
        }
        for index, (name, kind, label) in enumerate(FIELDS)
    ]
    return data


CHILD_TABLES = [
    model._meta.db_table
    for model in (
        models.AgencyAddress,
        models.ServiceStep,
        models.ServiceDocument,
        models.ServiceFee,
        models.ServiceLaw,
        models.ServiceFAQ,
        models.ServiceInquiry,
        models.ServiceFormField,
    )
]


def reverse_storage_order(agency) -> None:
    """Rewrite every package row, last first: PostgreSQL then keeps them in reverse order
    on disk, as updates, deletions and vacuums do to real tables. What citizens see must
    not change."""
    with schema_context(agency.schema_name), connection.cursor() as cursor:
        for table in CHILD_TABLES:
            cursor.execute(f"SELECT id FROM {table} ORDER BY id DESC")  # noqa: S608
            for (row_id,) in cursor.fetchall():
                cursor.execute(f"UPDATE {table} SET id = id WHERE id = %s", [row_id])  # noqa: S608


def positions(html: str, needles) -> list[int]:
    found = [html.find(needle) for needle in needles]
    assert -1 not in found, [n for n, f in zip(needles, found, strict=True) if f == -1]
    return found


def in_order(html: str, needles) -> bool:
    found = positions(html, needles)
    return found == sorted(found)


def package_state(agency):
    """Every revision and every package row's id, in the order the site lists them."""
    with schema_context(agency.schema_name):
        page = models.ServicePage.objects.get(
            slug="smart-national-id-card", locale__language_code="fa"
        )
        return (
            Revision.objects.count(),
            [(field.pk, field.name) for field in page.form_fields.all()],
            [(document.pk, document.slug) for document in page.documents.all()],
        )


@pytest.mark.django_db
def test_every_list_keeps_the_files_order_from_the_first_import(client_for):
    data = unordered_catalogue()
    report = import_catalogue(raw(data))
    assert report.ok, report.errors
    agency = report.agency
    reverse_storage_order(agency)
    site = client_for(agency.hostname)

    form = site.get(form_url("smart-national-id-card")).content.decode()
    assert in_order(form, [f'name="field_{name}"' for name, _kind, _label in FIELDS])
    assert in_order(form, [f'name="document_{slug}"' for slug, _required, _title in DOCUMENTS])
    assert in_order(form, ['value="وانت"', 'value="سواری"', 'value="اتوبوس"'])

    page = site.get("/smart-national-id-card/").content.decode()
    service = data["services"][0]
    for key, title in (
        ("steps", "title"),
        ("documents", "title"),
        ("fees", "title"),
        ("laws", "title"),
        ("faqs", "question"),
        ("inquiries", "title"),
    ):
        assert in_order(page, [item[title]["fa"] for item in service[key]]), key
    home = site.get("/").content.decode()
    assert in_order(home, [address["title"]["fa"] for address in data["agency"]["addresses"]])

    # The export is the file, list by list.
    exported = export_catalogue(agency)
    assert exported["services"][0] == canonical_service(service)
    assert [a["title"] for a in exported["agency"]["addresses"]] == [
        a["title"] for a in data["agency"]["addresses"]
    ]

    # Rows imported before the fix have no position: the migration numbers them by id.
    with schema_context(agency.schema_name), connection.cursor() as cursor:
        for table in CHILD_TABLES:
            cursor.execute(f"UPDATE {table} SET sort_order = NULL")  # noqa: S608
    reverse_storage_order(agency)
    migration = importlib.import_module("catalog_pages.migrations.0003_number_imported_children")
    with schema_context(agency.schema_name), connection.schema_editor() as editor:
        migration.number_children(django_apps, editor)
    assert export_catalogue(agency) == exported


@pytest.mark.django_db
def test_reimporting_is_a_no_op_and_an_export_moves_to_an_empty_agency_unchanged():
    data = unordered_catalogue()
    agency = import_catalogue(raw(data)).agency
    reverse_storage_order(agency)
    first_export = dumps(export_catalogue(agency))
    before = package_state(agency)

    again = import_catalogue(raw(data))

    assert again.ok and not again.changed
    assert sorted(again.unchanged) == ["birth-registration", "smart-national-id-card"]
    assert package_state(agency) == before  # no new revision, same rows in the same order
    assert dumps(export_catalogue(agency)) == first_export

    # export → import into an empty agency → export: the same JSON.
    moved = json.loads(first_export)
    moved["agency"]["slug"] = "civil-registration-copy"
    copied = import_catalogue(raw(moved))
    assert copied.ok, copied.errors
    reverse_storage_order(copied.agency)
    second = json.loads(dumps(export_catalogue(copied.agency)))
    second["agency"]["slug"] = "civil-registration"
    assert dumps(second) == first_export


# --- parents that arrive later -------------------------------------------------------------


def child_catalogue(slug: str = "tehran-registration", parent: str = "civil-registration"):
    data = sample()
    data["agency"].update(slug=slug, name=text("اداره کل ثبت احوال استان تهران"), parent=parent)
    data["agency"]["province"] = "تهران"
    data["services"] = data["services"][1:]
    return data


@pytest.mark.django_db
def test_a_child_imported_before_its_parent_is_linked_when_the_parent_arrives():
    child = import_catalogue(raw(child_catalogue()))

    assert child.ok, child.errors
    warning = [w for w in child.warnings if w.path == "$.agency.parent"]
    assert len(warning) == 1
    assert "civil-registration" in warning[0].message
    assert "هنوز در پنجره نیست" in warning[0].message  # Persian, for the operator
    waiting = Agency.objects.get(slug="tehran-registration")
    assert waiting.parent is None and waiting.parent_slug == "civil-registration"
    assert export_catalogue(waiting)["agency"]["parent"] == "civil-registration"

    # The parent's file may not make the child its own parent: a cycle.
    looped = sample()
    looped["agency"]["parent"] = "tehran-registration"
    refused = import_catalogue(raw(looped))
    assert not refused.ok
    assert [p.path for p in refused.errors] == ["$.agency.parent"]
    assert "civil-registration ← tehran-registration ← civil-registration" in (
        refused.errors[0].message
    )
    assert not Agency.objects.filter(slug="civil-registration").exists()

    parent = import_catalogue(SAMPLE.read_bytes())

    assert parent.ok and parent.agency_created
    assert parent.linked_children == ["tehran-registration"]
    waiting.refresh_from_db()
    assert waiting.parent == parent.agency
    assert list(parent.agency.children.all()) == [waiting]
    # Re-importing the child now: no warning, nothing changes.
    again = import_catalogue(raw(child_catalogue()))
    assert again.ok and not again.changed
    assert not [w for w in again.warnings if w.path == "$.agency.parent"]


@pytest.mark.django_db
def test_a_child_imported_after_its_parent_is_linked_at_once_and_cycles_are_refused():
    parent = import_catalogue(SAMPLE.read_bytes()).agency

    child = import_catalogue(raw(child_catalogue()))

    assert child.ok and not child.warnings
    assert child.agency.parent == parent and child.agency.parent_slug == parent.slug

    # A parent above its own child: refused, nothing changes, no exception.
    looped = sample()
    looped["agency"]["parent"] = "tehran-registration"
    refused = import_catalogue(raw(looped))
    assert not refused.ok and refused.errors[0].path == "$.agency.parent"
    parent.refresh_from_db()
    assert parent.parent is None and parent.parent_slug == ""

    with pytest.raises(tenant_services.OnboardingError) as caught:
        tenant_services.set_agency_parent(parent, parent.slug)
    assert "parent" in caught.value.errors


@pytest.mark.django_db
def test_onboarding_links_the_agencies_waiting_for_it_in_the_same_transaction(onboard):
    child = onboard(slug="late-child", parent_slug="late-parent").agency
    assert child.waits_for_parent

    result = onboard(slug="late-parent")

    assert result.linked_children == ("late-child",)
    child.refresh_from_db()
    assert child.parent == result.agency and not child.waits_for_parent

    with pytest.raises(tenant_services.OnboardingError) as caught:
        onboard(slug="selfish", parent_slug="selfish")
    assert "parent" in caught.value.errors
    assert not Agency.objects.filter(slug="selfish").exists()


# --- a folder of catalogues ------------------------------------------------------------------


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def write_folder(folder: Path) -> Path:
    """A child sorted before its parent, and a broken file between them."""
    folder.mkdir()
    (folder / "a-tehran.json").write_text(raw(child_catalogue()), encoding="utf-8")
    broken = child_catalogue(slug="broken-agency")
    broken["services"][0]["delivery"] = "by_pigeon"
    del broken["services"][0]["complaint_procedure"]
    (folder / "b-broken.json").write_text(raw(broken), encoding="utf-8")
    (folder / "c-civil-registration.json").write_bytes(SAMPLE.read_bytes())
    (folder / "notes.txt").write_text("not a catalogue", encoding="utf-8")
    return folder


@pytest.mark.django_db
def test_a_folder_imports_every_file_and_reports_the_failures(tmp_path):
    folder = write_folder(tmp_path / "catalogues")
    out, err = io.StringIO(), io.StringIO()

    with pytest.raises(CommandError, match="1 of 3 files failed") as caught:
        call_command("import_catalog", str(folder), stdout=out, stderr=err)

    assert "b-broken.json" in str(caught.value)
    printed, errors = out.getvalue(), err.getvalue()
    rows = {line.split()[0]: line.split() for line in printed.splitlines() if ".json " in line}
    assert rows["a-tehran.json"][1:] == ["tehran-registration", "1", "0", "0", "0", "1", "0"]
    assert rows["b-broken.json"][1] == "—" and rows["b-broken.json"][-1] != "0"
    assert rows["c-civil-registration.json"][1:4] == ["civil-registration", "2", "0"]
    assert "file" in printed and "unpublished" in printed and "warnings" in printed
    assert "c-civil-registration.json: linked tehran-registration" in printed
    assert "b-broken.json: error: $.services[0].delivery" in errors
    assert "b-broken.json: error: $.services[0]" in errors
    assert "a-tehran.json: warning: $.agency.parent" in errors
    assert "[#" not in errors  # no progress bar when not on a terminal

    assert not Agency.objects.filter(slug="broken-agency").exists()
    child = Agency.objects.get(slug="tehran-registration")
    assert child.parent == Agency.objects.get(slug="civil-registration")

    # The same folder again (the broken file mended): every service is unchanged.
    broken = json.loads((folder / "b-broken.json").read_text(encoding="utf-8"))
    (folder / "b-broken.json").unlink()
    out = io.StringIO()
    call_command("import_catalog", str(folder), stdout=out, stderr=io.StringIO())
    rows = {
        line.split()[0]: line.split() for line in out.getvalue().splitlines() if ".json " in line
    }
    assert rows["a-tehran.json"][2:6] == ["0", "0", "1", "0"]
    assert rows["c-civil-registration.json"][2:6] == ["0", "0", "2", "0"]
    assert broken["agency"]["slug"] == "broken-agency"


@pytest.mark.django_db
def test_a_folder_dry_run_shows_one_progress_bar_and_saves_nothing(tmp_path):
    folder = write_folder(tmp_path / "catalogues")
    (folder / "b-broken.json").unlink()
    out, terminal = io.StringIO(), Terminal()

    call_command("import_catalog", str(folder), "--dry-run", stdout=out, stderr=terminal)

    assert "Dry run, nothing saved" in out.getvalue()
    assert "c-civil-registration.json: linked tehran-registration" in out.getvalue()
    bar = terminal.getvalue()
    assert bar.count("\r[") >= 4  # rewritten in place, file by file and service by service
    assert re.search(r"\[#{30}\] 2/2", bar)
    assert bar.count("\n") <= 1 + bar.count("warning")  # one line, then the report
    assert not Agency.objects.exists()


@pytest.mark.django_db
def test_an_empty_folder_is_an_error(tmp_path):
    with pytest.raises(CommandError, match="no \\*.json file"):
        call_command("import_catalog", str(tmp_path))


def test_the_unordered_catalogue_is_valid():
    from catalog_pages.catalog_format.validation import validate

    data = unordered_catalogue()
    assert validate(copy.deepcopy(data)) == ([], [])


@pytest.mark.django_db
def test_unknown_topics_and_life_events_are_kept_with_a_warning_naming_them():
    data = sample()
    data["services"][0]["topics"] = ["identity-civil", "space-travel"]
    data["services"][0]["life_events"] = ["birth", "moon-landing"]

    report = import_catalogue(raw(data))

    assert report.ok
    warned = {(problem.path, problem.message) for problem in report.warnings}
    assert any(
        path == "$.services[0].topics[1]" and "space-travel" in message for path, message in warned
    )
    assert any(
        path == "$.services[0].life_events[1]" and "moon-landing" in message
        for path, message in warned
    )
    assert not any("identity-civil" in message or "birth" in message for _, message in warned)
    exported = json.loads(dumps(export_catalogue(report.agency)))["services"][0]
    assert exported["topics"] == ["identity-civil", "space-travel"]
    assert exported["life_events"] == ["birth", "moon-landing"]


@pytest.mark.django_db
def test_a_law_with_its_approval_date_keeps_the_english_page_in_english(client_for):
    """A law's ``approved_on`` once reached the revision as text: Wagtail then saved the
    English page's revision without any of its lists, so the English form kept the
    Persian labels it was copied with, and every re-import "updated" the service."""
    data = sample()
    service = data["services"][0]
    service["laws"] = [
        {"title": text("قانون ثبت احوال", "Civil Registration Act"), "approved_on": "1976-07-17"}
    ]
    service["form_fields"] = [
        {"name": "applicant_name", "label": text("نام متقاضی", "Applicant's name"), "type": "text"}
    ]

    first = import_catalogue(raw(data))
    again = import_catalogue(raw(data))

    assert first.ok, first.errors
    assert again.unchanged == [service["slug"] for service in data["services"]]
    exported = next(
        item
        for item in export_catalogue(first.agency)["services"]
        if item["slug"] == service["slug"]
    )
    assert exported["laws"] == canonical_service(service)["laws"]
    assert exported["form_fields"][0]["label"] == {"fa": "نام متقاضی", "en": "Applicant's name"}
    with schema_context(first.agency.schema_name):
        fa_page = models.ServicePage.objects.get(slug=service["slug"], locale__language_code="fa")
        en_page = fa_page.get_translation(Locale.objects.get(language_code="en"))
    english = client_for(f"{first.agency.slug}.localhost").get(f"/en/apply/{en_page.pk}/")
    assert english.status_code == 200
    assert "Applicant&#x27;s name" in english.content.decode()
