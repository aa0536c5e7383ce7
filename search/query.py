"""Turning what a citizen typed into search terms: language, synonyms, highlighting."""

import re
from functools import lru_cache

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from persian.text import normalize, stem, terms

_LATIN = re.compile(r"[a-zA-Z]")
_ARABIC_SCRIPT = re.compile(r"[\u0600-\u06ff]")


def query_language(query: str) -> str:
    """English when the query is written in Latin letters, else Persian."""
    latin = len(_LATIN.findall(query))
    return "en" if latin > len(_ARABIC_SCRIPT.findall(query)) else "fa"


def _contains(sequence: list[str], part: list[str]) -> bool:
    size = len(part)
    return any(sequence[i : i + size] == part for i in range(len(sequence) - size + 1))


@lru_cache(maxsize=4096)
def _phrase_terms(phrase: str) -> tuple[str, ...]:
    return tuple(terms(phrase))


@lru_cache(maxsize=65536)
def _word_stems(word: str) -> tuple[str, ...]:
    """The stems a written word stands for (a word may normalise to several)."""
    return tuple(stem(part) for part in normalize(word).split())


def expand_synonyms(query_terms: list[str], groups: list[list[str]]) -> list[str]:
    """Add the terms of every phrase that is a synonym of a phrase in the query."""
    expanded = list(query_terms)
    for phrases in groups:
        phrase_terms = [list(_phrase_terms(phrase)) for phrase in phrases]
        if any(part and _contains(query_terms, part) for part in phrase_terms):
            for part in phrase_terms:
                expanded += [term for term in part if term not in expanded]
    return expanded


def highlight(text: str, query_terms: list[str], limit: int = 240) -> SafeString:
    """The text, escaped, with words matching the query in <mark>."""
    wanted = set(query_terms)
    words = text.split()
    out, length = [], 0
    for word in words:
        matched = any(part in wanted for part in _word_stems(word))
        out.append(f"<mark>{escape(word)}</mark>" if matched else escape(word))
        length += len(word) + 1
        if length > limit:
            out.append("…")
            break
    return mark_safe(" ".join(out))  # noqa: S308 - every word is escaped above
