"""Check a catalogue file completely before anything is written.

Every problem is reported with its JSON path, at once: the JSON Schema first,
then what the schema cannot say (duplicate slugs, lengths our fields hold, a
province we do not know; the parent agency is checked against the registry).
"""

import functools
import json
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _
from jsonschema import Draft202012Validator, FormatChecker

from tenants.constants import AGENCY_SLUG_MAX_LENGTH, RESERVED_SLUGS, Province

SCHEMA_PATH = Path(__file__).with_name("schema.json")
FORMAT = "service-catalog/1"
CONTENT_LANGUAGES = ("fa", "en")
AGENCY_SLUG_MAX = AGENCY_SLUG_MAX_LENGTH

# Longest text each field holds, by path pattern ("*" is any list index).
TEXT_LIMITS = {
    "agency.name": 200,
    "agency.phone": 40,
    "agency.call_centre": 40,
    "agency.addresses.*.title": 255,
    "agency.addresses.*.province": 100,
    "agency.addresses.*.city": 100,
    "agency.addresses.*.phone": 40,
    "agency.addresses.*.opening_hours": 255,
    "agency.representative.name": 200,
    "agency.representative.position": 255,
    "agency.representative.phone": 40,
    "services.*.title": 255,
    "services.*.steps.*.title": 255,
    "services.*.steps.*.responsible_unit": 255,
    "services.*.documents.*.title": 255,
    "services.*.fees.*.title": 255,
    "services.*.laws.*.title": 255,
    "services.*.laws.*.reference": 255,
    "services.*.faqs.*.question": 500,
    "services.*.inquiries.*.title": 255,
    "services.*.inquiries.*.from_agency": 255,
    "services.*.responsible_official.name": 200,
    "services.*.responsible_official.position": 255,
    "services.*.responsible_official.phone": 40,
    "services.*.form_fields.*.label": 255,
    "services.*.form_fields.*.help": 500,
    "services.*.keywords.*": 100,
}


@dataclass(frozen=True)
class Problem:
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


@functools.cache
def schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def _json_path(parts) -> str:
    path = "$"
    for part in parts:
        path += f"[{part}]" if isinstance(part, int) else f".{part}"
    return path


def parse(raw: bytes | str) -> tuple[dict | None, list[Problem]]:
    """Decode the file; a file that is not JSON is one problem at ``$``."""
    try:
        text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
    except UnicodeDecodeError:
        return None, [Problem("$", _("The file is not UTF-8 text."))]
    try:
        return json.loads(text), []
    except json.JSONDecodeError as exc:
        return None, [
            Problem(
                "$",
                _("The file is not valid JSON (line %(line)d, column %(column)d: %(error)s).")
                % {"line": exc.lineno, "column": exc.colno, "error": exc.msg},
            )
        ]


def validate(data) -> tuple[list[Problem], list[Problem]]:
    """All problems (errors) and warnings of a decoded catalogue."""
    validator = Draft202012Validator(schema(), format_checker=FormatChecker())
    errors = [
        Problem(_json_path(error.absolute_path), error.message)
        for error in sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.path)))
    ]
    if errors:
        return errors, []
    warnings: list[Problem] = []
    errors += _check_agency(data["agency"])
    errors += _check_unique(data["services"], "slug", "$.services")
    for index, service in enumerate(data["services"]):
        base = f"$.services[{index}]"
        errors += _check_unique(service.get("documents", []), "slug", f"{base}.documents")
        errors += _check_unique(service.get("form_fields", []), "name", f"{base}.form_fields")
    errors += _check_lengths(data)
    warnings += _check_languages(data, "$")
    return errors, warnings


def _check_agency(agency: dict) -> list[Problem]:
    problems = []
    slug = agency["slug"]
    if len(slug) > AGENCY_SLUG_MAX:
        problems.append(
            Problem(
                "$.agency.slug",
                _("An agency's slug may be at most %(max)d characters.") % {"max": AGENCY_SLUG_MAX},
            )
        )
    if slug in RESERVED_SLUGS:
        problems.append(Problem("$.agency.slug", _("“%(slug)s” is reserved.") % {"slug": slug}))
    if "province" in agency and province_code(agency["province"]) is None:
        problems.append(
            Problem(
                "$.agency.province",
                _("Unknown province “%(province)s”.") % {"province": agency["province"]},
            )
        )
    return problems


def _check_unique(items: list, key: str, path: str) -> list[Problem]:
    seen: dict[str, int] = {}
    problems = []
    for index, item in enumerate(items):
        value = item.get(key)
        if value in seen:
            problems.append(
                Problem(
                    f"{path}[{index}].{key}",
                    _("“%(value)s” is used twice (first at %(first)s).")
                    % {"value": value, "first": f"{path}[{seen[value]}]"},
                )
            )
        else:
            seen[value] = index
    return problems


def _walk(value, pattern: list[str], path: str):
    """Yield (path, value) for every place ``pattern`` matches."""
    if not pattern:
        yield path, value
        return
    head, rest = pattern[0], pattern[1:]
    if head == "*":
        if isinstance(value, list):
            for index, item in enumerate(value):
                yield from _walk(item, rest, f"{path}[{index}]")
    elif isinstance(value, dict) and head in value:
        yield from _walk(value[head], rest, f"{path}.{head}")


def _check_lengths(data: dict) -> list[Problem]:
    problems = []
    for pattern, limit in TEXT_LIMITS.items():
        for path, value in _walk(data, pattern.split("."), "$"):
            texts = value.items() if isinstance(value, dict) else [(None, value)]
            for language, text in texts:
                if isinstance(text, str) and len(text) > limit:
                    where = f"{path}.{language}" if language else path
                    problems.append(
                        Problem(
                            where,
                            _("Too long: %(length)d characters, at most %(limit)d.")
                            % {"length": len(text), "limit": limit},
                        )
                    )
    return problems


def _check_languages(value, path: str) -> list[Problem]:
    """Translations into languages the platform does not publish are ignored: say so."""
    warnings = []
    if isinstance(value, dict):
        if "fa" in value and all(isinstance(v, str) for v in value.values()):
            for language in value:
                if language not in CONTENT_LANGUAGES:
                    warnings.append(
                        Problem(
                            f"{path}.{language}",
                            _("Language “%(language)s” is not published on Panjereh; ignored.")
                            % {"language": language},
                        )
                    )
        else:
            for key, item in value.items():
                warnings += _check_languages(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            warnings += _check_languages(item, f"{path}[{index}]")
    return warnings


def province_code(text: str) -> str | None:
    """The registry's province code for a name in Persian or English, or a code."""
    from django.utils import translation

    wanted = text.strip().replace("ي", "ی").replace("ك", "ک")
    for code, label in Province.choices:
        if wanted in (code, str(label)):
            return code
        with translation.override("fa"):
            if wanted == str(label):
                return code
    return None


def province_name(code: str) -> str:
    from django.utils import translation

    with translation.override("fa"):
        return str(Province(code).label)
