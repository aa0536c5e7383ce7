"""Every interface string has a Persian translation, and the compiled catalogue is current."""

import ast
import gettext
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PO = ROOT / "locale" / "fa" / "LC_MESSAGES" / "django.po"
# Ours, and the Persian of Wagtail's and wagtail-localize's strings their catalogues lack
# (locale/wagtail: django and djangojs, the admin's JavaScript).
CATALOGUES = sorted(ROOT.glob("locale/**/fa/LC_MESSAGES/*.po"))
ENTRY = re.compile(r'^msgid ((?:".*"\n)+)msgstr ((?:".*"\n?)+)', re.MULTILINE)
PLURAL = re.compile(
    r'^msgid ((?:".*"\n)+)msgid_plural (?:".*"\n)+msgstr\[0\] ((?:".*"\n?)+)', re.MULTILINE
)


def _entries(po: Path = PO) -> dict[str, str]:
    entries = {}
    for block in po.read_text(encoding="utf-8").split("\n\n"):
        if block.lstrip().startswith("#~"):
            continue  # obsolete
        match = ENTRY.search(block + "\n") or PLURAL.search(block + "\n")
        if match:
            msgid = "".join(ast.literal_eval(line) for line in match[1].splitlines())
            msgstr = "".join(ast.literal_eval(line) for line in match[2].splitlines())
            if msgid:
                entries[msgid] = msgstr
    return entries


def test_the_catalogues_are_found():
    assert PO in CATALOGUES
    assert {po.name for po in CATALOGUES} == {"django.po", "djangojs.po"}


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda po: str(po.relative_to(ROOT)))
def test_every_string_has_a_persian_translation(po):
    untranslated = [msgid for msgid, msgstr in _entries(po).items() if not msgstr]
    assert untranslated == []
    assert "#, fuzzy" not in po.read_text(encoding="utf-8")


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda po: str(po.relative_to(ROOT)))
def test_compiled_catalogue_matches_the_po_file(po):
    with (po.with_suffix(".mo")).open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)
    stale = [
        msgid
        for msgid, msgstr in _entries(po).items()
        if catalogue.gettext(msgid) != msgstr and catalogue.ngettext(msgid, msgid, 1) != msgstr
    ]
    assert stale == [], f"run `make messages` and commit {po.with_suffix('.mo').name}"
