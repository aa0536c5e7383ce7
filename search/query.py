"""Turning what a citizen typed into search terms: language, synonyms, highlighting."""

import re
from functools import lru_cache
from html import escape  # Django's, without its lazy-text wrapper: words are str

from django.utils.safestring import SafeString, mark_safe

from persian.digits import to_ascii_digits
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


# Where a match starts and ends until the text is escaped (no other text has a NUL).
_OPEN, _CLOSE = "\x00(", "\x00)"


def highlight(text: str, query_terms: list[str], limit: int = 240) -> SafeString:
    """The text, escaped, with words matching the query in <mark>."""
    wanted = set(query_terms)
    out, length = [], 0
    for word in text.replace("\x00", "").split():
        out.append(word if wanted.isdisjoint(_word_stems(word)) else f"{_OPEN}{word}{_CLOSE}")
        length += len(word) + 1
        if length > limit:
            out.append("…")
            break
    # Escaped once, the marks after: every word is escaped, and only the marks are tags.
    marked = escape(" ".join(out)).replace(_OPEN, "<mark>").replace(_CLOSE, "</mark>")
    return mark_safe(marked)  # noqa: S308


# A national registry code as people type it: 8 to 14 digits of any script, maybe grouped
# by spaces, dashes, dots or slashes («۱۲۰-۱۱۰-۰۰۰۰۱», «1201 1000 001»).
_DIGIT_RUN = re.compile(r"[0-9](?:[\s\-\u2010-\u2015_./]*[0-9])+")
REGISTRY_CODE_LENGTH = (8, 14)


def registry_codes(query: str) -> tuple[list[str], str]:
    """The registry codes in a query (ASCII digits) and the query without them."""
    codes = []

    def take(match) -> str:
        digits = re.sub("[^0-9]", "", match.group())
        low, high = REGISTRY_CODE_LENGTH
        if low <= len(digits) <= high:
            codes.append(digits)
            return " "
        return match.group()

    return codes, _DIGIT_RUN.sub(take, to_ascii_digits(query))


# Conversational words that name no service («چطوری … بگیرم», «… گم شده», «my», «apply»):
# a query is matched on its other words. Standalone clitics («رانندگی ام») too.
FILLER_WORDS = """
    میخوام میخواهم میخواستم خواستم بخوام بخواهم میتونم میتوانم بتونم بتوانم میشه میشود بشه
    بشود شده شد شدن بشوم بشم شوم بگیرم بگیریم بگیرید گرفتن بگیره کنم کنیم کنید کردن کردم
    بکنم بکنیم بدم بدهم بدیم دادن دارم داریم داره دارد ندارم هستش چطوری چجوری چگونه چیکار
    چکار چیه چقدر چقدره چند کجاست کدوم لطفا ممنون سلام لازم لازمه نحوه روش مراحل راهنمایی
    ام ات اش مان تان شان رو یه خودم
    want need apply please me
"""
FILLER_TERMS = frozenset(terms(FILLER_WORDS))
# Words that only say a number is a code («کد خدمت ۱۲۰۱۱۰۰۰۰۰۱»), ignored beside one.
CODE_WORDS = frozenset(terms("کد شناسه شماره خدمت ثبت ملی code registry service number id no"))
# Endings of a word typed with a possessive or object clitic («شناسنامه‌ام», «ماشینم»,
# «پاسپورتمو»), tried only on a word the index does not have.
CLITICS = ("هامو", "هاشو", "مون", "تون", "شون", "مو", "تو", "شو", "ام", "ات", "اش", "یم")
CLITICS += ("یت", "یش", "م", "ت", "ش", "ه", "ی")


# A query's words read at most (the first ones): a longer text is a paragraph pasted in,
# and every word costs the backends work.
MAX_TERMS = 12


def informative_terms(query_terms: list[str], *, beside_code: bool) -> list[str]:
    """The query's terms without conversational words (and code words beside a code), the
    first ``MAX_TERMS`` of them."""
    dropped = FILLER_TERMS | (CODE_WORDS if beside_code else frozenset())
    return list(dict.fromkeys(term for term in query_terms if term not in dropped))[:MAX_TERMS]


def base_form(term: str) -> str:
    """An adjective's noun («مالیاتی» → «مالیات»): matched as a prefix, it finds both."""
    if term.endswith("ی") and len(term) >= 5 and _ARABIC_SCRIPT.match(term):
        return term[:-1]
    return term


def without_clitic(term: str) -> list[str]:
    """What a word may be without a clitic ending, longest first (at least 3 letters)."""
    return [
        term[: -len(end)] for end in CLITICS if term.endswith(end) and len(term) - len(end) >= 3
    ]


def synonym_alternatives(query_terms: list[str], groups: list[list[str]]) -> dict[str, list]:
    """For each query term inside a synonym phrase: the other phrases' terms (each a list)."""
    alternatives: dict[str, list] = {}
    for phrases in groups:
        phrase_terms = [list(_phrase_terms(phrase)) for phrase in phrases]
        for part in phrase_terms:
            if not part or not _contains(query_terms, part):
                continue
            others = [other for other in phrase_terms if other and other != part]
            for term in part:
                alternatives.setdefault(term, [])
                alternatives[term] += [o for o in others if o not in alternatives[term]]
    return alternatives
