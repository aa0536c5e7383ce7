"""Every interface string has a Persian translation, and the compiled catalogue is current."""

import ast
import gettext
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PO = ROOT / "locale" / "fa" / "LC_MESSAGES" / "django.po"
ENTRY = re.compile(r'^msgid ((?:".*"\n)+)msgstr ((?:".*"\n?)+)', re.MULTILINE)
PLURAL = re.compile(
    r'^msgid ((?:".*"\n)+)msgid_plural (?:".*"\n)+msgstr\[0\] ((?:".*"\n?)+)', re.MULTILINE
)


def _entries() -> dict[str, str]:
    entries = {}
    for block in PO.read_text(encoding="utf-8").split("\n\n"):
        if block.lstrip().startswith("#~"):
            continue  # obsolete
        match = ENTRY.search(block + "\n") or PLURAL.search(block + "\n")
        if match:
            msgid = "".join(ast.literal_eval(line) for line in match[1].splitlines())
            msgstr = "".join(ast.literal_eval(line) for line in match[2].splitlines())
            if msgid:
                entries[msgid] = msgstr
    return entries


def test_every_string_has_a_persian_translation():
    untranslated = [msgid for msgid, msgstr in _entries().items() if not msgstr]
    assert untranslated == []
    assert "#, fuzzy" not in PO.read_text(encoding="utf-8")


def test_compiled_catalogue_matches_the_po_file():
    with (PO.with_suffix(".mo")).open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)
    stale = [
        msgid
        for msgid, msgstr in _entries().items()
        if catalogue.gettext(msgid) != msgstr and catalogue.ngettext(msgid, msgid, 1) != msgstr
    ]
    assert stale == [], "run `make messages` and commit django.mo"
