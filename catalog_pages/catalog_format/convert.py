"""Between the catalogue format and the agency's pages, in one canonical form.

``canonical_*`` turn a valid file's objects into exactly what ``export_*`` would
write for the same content (defaults filled in, untranslated English dropped),
so a re-import can tell "unchanged" by comparing dictionaries, and
export → import → export is byte-identical.
"""

import json
from decimal import Decimal

from .validation import province_code, province_name

DEFAULT_FORMATS = ["pdf", "jpg", "png"]


# --- texts ---------------------------------------------------------------------------


def text(fa: str, en: str | None = None) -> dict:
    """A localized text; English only where it differs from the Persian."""
    value = {"fa": fa}
    if en and en != fa:
        value["en"] = en
    return value


def canonical_text(value: dict) -> dict:
    return text(value["fa"], value.get("en"))


def pick(value: dict | None, language: str) -> str:
    """The text in ``language``, falling back to Persian; "" for no text."""
    if not value:
        return ""
    return value.get(language) or value["fa"]


def split_keywords(value: str) -> list[str]:
    separated = value.replace("،", "\n").replace(",", "\n")
    return [word.strip() for word in separated.splitlines() if word.strip()]


def number(value) -> int | float:
    """5 and 5.00 are written 5; 2.5 stays 2.5."""
    value = Decimal(str(value))
    return int(value) if value == value.to_integral_value() else float(value)


def _optional_text(out: dict, key: str, fa: str, en: str | None = None) -> None:
    if fa:
        out[key] = text(fa, en)


def _optional(out: dict, key: str, value) -> None:
    if value not in (None, "", []):
        out[key] = value


def dumps(data: dict) -> str:
    """The file's bytes: stable key order, Persian kept readable."""
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


# --- canonical forms of a file's objects ------------------------------------------------


def canonical_contact(contact: dict) -> dict:
    out = {"name": contact["name"], "position": canonical_text(contact["position"])}
    _optional(out, "phone", contact.get("phone"))
    _optional(out, "email", contact.get("email"))
    return out


def canonical_step(step: dict) -> dict:
    out = {
        "title": canonical_text(step["title"]),
        "in_person": step.get("in_person", False),
        "notify_sms": step.get("notify_sms", True),
    }
    if step.get("description"):
        out["description"] = canonical_text(step["description"])
    _optional(out, "duration_days", step.get("duration_days"))
    if step.get("responsible_unit"):
        out["responsible_unit"] = canonical_text(step["responsible_unit"])
    return out


def canonical_document(document: dict) -> dict:
    out = {
        "slug": document["slug"],
        "title": canonical_text(document["title"]),
        "required": document.get("required", True),
        "original_in_person": document.get("original_in_person", False),
        "formats": list(document.get("formats", DEFAULT_FORMATS)),
        "max_size_mb": number(document.get("max_size_mb", 5)),
    }
    if document.get("description"):
        out["description"] = canonical_text(document["description"])
    return out


def canonical_fee(fee: dict) -> dict:
    out = {
        "title": canonical_text(fee["title"]),
        "amount_rials": fee["amount_rials"],
        "payable_online": fee.get("payable_online", True),
    }
    if fee.get("legal_basis"):
        out["legal_basis"] = canonical_text(fee["legal_basis"])
    return out


def canonical_law(law: dict) -> dict:
    out = {"title": canonical_text(law["title"])}
    for key in ("reference", "approved_on", "url"):
        _optional(out, key, law.get(key))
    return out


def canonical_faq(faq: dict) -> dict:
    return {"question": canonical_text(faq["question"]), "answer": canonical_text(faq["answer"])}


def canonical_inquiry(inquiry: dict) -> dict:
    return {
        "title": canonical_text(inquiry["title"]),
        "from_agency": inquiry["from_agency"],
        "electronic": inquiry.get("electronic", True),
    }


def canonical_form_field(field: dict) -> dict:
    out = {
        "name": field["name"],
        "label": canonical_text(field["label"]),
        "type": field["type"],
        "required": field.get("required", True),
    }
    if field.get("help"):
        out["help"] = canonical_text(field["help"])
    if field.get("choices"):
        out["choices"] = [canonical_text(choice) for choice in field["choices"]]
    _optional(out, "max_length", field.get("max_length"))
    return out


CHILDREN = {
    # format key: (page relation, canonical form)
    "steps": ("steps", canonical_step),
    "documents": ("documents", canonical_document),
    "fees": ("fees", canonical_fee),
    "laws": ("laws", canonical_law),
    "faqs": ("faqs", canonical_faq),
    "inquiries": ("inquiries", canonical_inquiry),
    "form_fields": ("form_fields", canonical_form_field),
}
ALWAYS_WRITTEN = {"steps", "documents"}


def canonical_service(service: dict) -> dict:
    out = {
        "slug": service["slug"],
        "title": canonical_text(service["title"]),
        "summary": canonical_text(service["summary"]),
        "audience": service.get("audience", "citizen"),
        "level": service["level"],
        "delivery": service["delivery"],
        "duration_days": service["duration_days"],
        "complaint_procedure": canonical_text(service["complaint_procedure"]),
        "responsible_official": canonical_contact(service["responsible_official"]),
        "appointment_required": service.get("appointment_required", False),
    }
    _optional(out, "registry_code", service.get("registry_code"))
    _optional(out, "desk_modes", list(service.get("desk_modes", [])))
    _optional(out, "keywords", split_keywords("\n".join(service.get("keywords", []))))
    _optional(out, "topics", list(service.get("topics", [])))
    _optional(out, "life_events", list(service.get("life_events", [])))
    for key, (_relation, canonical) in CHILDREN.items():
        items = [canonical(item) for item in service.get(key, [])]
        # An empty "fees" list is meaningful: the service is confirmed free.
        if items or key in ALWAYS_WRITTEN or (key == "fees" and key in service):
            out[key] = items
    return out


def canonical_address(address: dict) -> dict:
    out = {"title": canonical_text(address["title"]), "address": canonical_text(address["address"])}
    for key in ("province", "city", "postal_code", "phone", "opening_hours"):
        _optional(out, key, address.get(key))
    for key in ("latitude", "longitude"):
        if address.get(key) is not None:
            out[key] = float(address[key])
    return out


def canonical_agency(agency: dict) -> dict:
    out = {"slug": agency["slug"], "name": canonical_text(agency["name"]), "kind": agency["kind"]}
    _optional(out, "parent", agency.get("parent"))
    if agency.get("province"):
        out["province"] = province_name(province_code(agency["province"]))
    for key in ("nature", "duties", "structure"):
        if agency.get(key):
            out[key] = canonical_text(agency[key])
    for key in ("website", "phone", "call_centre"):
        _optional(out, key, agency.get(key))
    _optional(out, "addresses", [canonical_address(a) for a in agency.get("addresses", [])])
    if agency.get("representative"):
        out["representative"] = canonical_contact(agency["representative"])
    return out


# --- export: pages to the format ------------------------------------------------------


def _pair(fa_items, en_items):
    """Each Persian child with its English twin (same translation key), if any."""
    english = {item.translation_key: item for item in en_items}
    return [(item, english.get(item.translation_key)) for item in fa_items]


def _en(en_item, attribute: str) -> str | None:
    return getattr(en_item, attribute) if en_item is not None else None


def export_step(fa, en) -> dict:
    out = {
        "title": text(fa.title, _en(en, "title")),
        "in_person": fa.in_person,
        "notify_sms": fa.notify_sms,
    }
    _optional_text(out, "description", fa.description, _en(en, "description"))
    _optional(out, "duration_days", fa.duration_days)
    _optional_text(out, "responsible_unit", fa.responsible_unit, _en(en, "responsible_unit"))
    return out


def export_document(fa, en) -> dict:
    out = {
        "slug": fa.slug,
        "title": text(fa.title, _en(en, "title")),
        "required": fa.required,
        "original_in_person": fa.original_in_person,
        "formats": list(fa.formats),
        "max_size_mb": number(fa.max_size_mb),
    }
    _optional_text(out, "description", fa.description, _en(en, "description"))
    return out


def export_fee(fa, en) -> dict:
    out = {
        "title": text(fa.title, _en(en, "title")),
        "amount_rials": fa.amount_rials,
        "payable_online": fa.payable_online,
    }
    _optional_text(out, "legal_basis", fa.legal_basis, _en(en, "legal_basis"))
    return out


def export_law(fa, en) -> dict:
    out = {"title": text(fa.title, _en(en, "title"))}
    _optional(out, "reference", fa.reference)
    _optional(out, "approved_on", fa.approved_on.isoformat() if fa.approved_on else None)
    _optional(out, "url", fa.url)
    return out


def export_faq(fa, en) -> dict:
    return {
        "question": text(fa.question, _en(en, "question")),
        "answer": text(fa.answer, _en(en, "answer")),
    }


def export_inquiry(fa, en) -> dict:
    return {
        "title": text(fa.title, _en(en, "title")),
        "from_agency": fa.from_agency,
        "electronic": fa.electronic,
    }


def export_form_field(fa, en) -> dict:
    out = {
        "name": fa.name,
        "label": text(fa.label, _en(en, "label")),
        "type": fa.field_type,
        "required": fa.required,
    }
    _optional_text(out, "help", fa.help, _en(en, "help"))
    if fa.choice_list:
        english = en.choice_list if en is not None else []
        out["choices"] = [
            text(choice, english[index] if index < len(english) else None)
            for index, choice in enumerate(fa.choice_list)
        ]
    _optional(out, "max_length", fa.max_length)
    return out


EXPORTERS = {
    "steps": export_step,
    "documents": export_document,
    "fees": export_fee,
    "laws": export_law,
    "faqs": export_faq,
    "inquiries": export_inquiry,
    "form_fields": export_form_field,
}


def export_service(fa_page, en_page=None) -> dict:
    out = {
        "slug": fa_page.slug,
        "title": text(fa_page.title, en_page.title if en_page else None),
        "summary": text(fa_page.summary, en_page.summary if en_page else None),
        "audience": fa_page.audience,
        "level": fa_page.level,
        "delivery": fa_page.delivery,
        "duration_days": fa_page.duration_days,
        "complaint_procedure": text(
            fa_page.complaint_procedure, en_page.complaint_procedure if en_page else None
        ),
        "responsible_official": _export_contact(
            fa_page.official_name,
            fa_page.official_position,
            en_page.official_position if en_page else None,
            fa_page.official_phone,
            fa_page.official_email,
        ),
        "appointment_required": fa_page.appointment_required,
    }
    _optional(out, "registry_code", fa_page.registry_code)
    _optional(out, "desk_modes", list(fa_page.desk_modes))
    _optional(out, "keywords", split_keywords(fa_page.keywords))
    _optional(out, "topics", list(fa_page.topics))
    _optional(out, "life_events", list(fa_page.life_events))
    for key, (relation, _canonical) in CHILDREN.items():
        fa_items = list(getattr(fa_page, relation).all())
        en_items = list(getattr(en_page, relation).all()) if en_page else []
        items = [EXPORTERS[key](fa, en) for fa, en in _pair(fa_items, en_items)]
        if items or key in ALWAYS_WRITTEN or (key == "fees" and fa_page.is_free):
            out[key] = items
    return out


def _export_contact(name, position_fa, position_en, phone, email) -> dict:
    out = {"name": name, "position": text(position_fa, position_en)}
    _optional(out, "phone", phone)
    _optional(out, "email", email)
    return out


def export_agency(agency, fa_home, en_home=None) -> dict:
    out = {
        "slug": agency.slug,
        "name": text(agency.name_fa, agency.name_en),
        "kind": agency.kind,
    }
    # As the catalogue named it, linked or still awaited.
    _optional(out, "parent", agency.parent_slug)
    if agency.province:
        out["province"] = province_name(agency.province)
    for key, attribute in (
        ("nature", "introduction"),
        ("duties", "duties"),
        ("structure", "structure"),
    ):
        _optional_text(
            out, key, getattr(fa_home, attribute), getattr(en_home, attribute) if en_home else None
        )
    for key in ("website", "phone", "call_centre"):
        _optional(out, key, getattr(fa_home, key))
    fa_addresses = list(fa_home.addresses.all())
    en_addresses = list(en_home.addresses.all()) if en_home else []
    addresses = []
    for fa, en in _pair(fa_addresses, en_addresses):
        address = {
            "title": text(fa.title, _en(en, "title")),
            "address": text(fa.address, _en(en, "address")),
        }
        for key in ("province", "city", "postal_code", "phone", "opening_hours"):
            _optional(address, key, getattr(fa, key))
        for key in ("latitude", "longitude"):
            if getattr(fa, key) is not None:
                address[key] = float(getattr(fa, key))
        addresses.append(address)
    _optional(out, "addresses", addresses)
    if fa_home.representative_name:
        out["representative"] = _export_contact(
            fa_home.representative_name,
            fa_home.representative_position,
            en_home.representative_position if en_home else None,
            fa_home.representative_phone,
            fa_home.representative_email,
        )
    return out
