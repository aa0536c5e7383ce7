"""What gets indexed for a service: built from the catalogue format's service object.

Pages are exported with ``catalog_pages.catalog_format.convert.export_service``
and turned into documents here, so the index, the interchange format and the
benchmark's generated catalogues all share one path.
"""

from dataclasses import dataclass

from catalog_pages.catalog_format.convert import pick
from persian.digits import to_ascii_digits
from persian.text import search_text


@dataclass(frozen=True)
class ServiceDocument:
    translation_key: str
    language: str
    service_slug: str
    title: str
    summary: str
    url: str
    level: str
    delivery: str
    audience: str
    province: str
    unavailable: bool
    registry_code: str
    apply_url: str
    topics: list
    life_events: list
    title_terms: str
    keyword_terms: str
    summary_terms: str
    body_terms: str


def _texts(items, *keys, language) -> list[str]:
    return [pick(item.get(key), language) for item in items for key in keys if item.get(key)]


def build_document(
    service: dict,
    *,
    language: str,
    translation_key: str,
    url: str,
    province: str = "",
    unavailable: bool = False,
    keywords_extra: str = "",
    apply_url: str = "",
) -> ServiceDocument:
    """One language's document of a service in the catalogue format."""
    title = pick(service["title"], language)
    summary = pick(service["summary"], language)
    body = [
        *_texts(service.get("steps", []), "title", "description", language=language),
        *_texts(service.get("documents", []), "title", language=language),
        *_texts(service.get("faqs", []), "question", "answer", language=language),
    ]
    keywords = " ".join(service.get("keywords", [])) + " " + keywords_extra
    return ServiceDocument(
        translation_key=str(translation_key),
        language=language,
        service_slug=service["slug"],
        title=title,
        summary=summary,
        url=url,
        level=service["level"],
        delivery=service["delivery"],
        audience=service.get("audience", "citizen"),
        province=province,
        unavailable=unavailable,
        registry_code=to_ascii_digits(service.get("registry_code", "")).strip(),
        apply_url=apply_url if service["delivery"] != "in_person" else "",
        topics=list(service.get("topics", [])),
        life_events=list(service.get("life_events", [])),
        title_terms=search_text(title),
        keyword_terms=search_text(keywords),
        summary_terms=search_text(summary),
        body_terms=search_text(" ".join(body)),
    )
