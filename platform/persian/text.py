"""Persian text normalisation for search: one form for the many ways people type.

Used on both sides (indexing and queries), so only consistency matters, not
linguistic perfection:

- Arabic letters that Persian keyboards still produce (ي ى ك ة أ إ ؤ ۀ) become
  their Persian forms; Arabic-Indic and Persian digits become ASCII digits.
- Diacritics (harakat, superscript alef) and tatweel are removed.
- The zero-width non-joiner and the space around the verb prefix «می/نمی» and the
  plural suffixes «ها/های» are removed, so «میخواهم», «می خواهم» and «می‌خواهم»
  (and «کارت ها», «کارت‌ها», «کارتها») are the same token.
- ``terms`` then drops stop words and strips a few common affixes (light
  stemming): plural «ها/های/هایی», verb «می/نمی», indefinite «ی/ای» is kept
  (too ambiguous).
"""

import re
import unicodedata

_LETTERS = str.maketrans(
    {
        "ي": "ی",  # Arabic yeh
        "ى": "ی",  # alef maksura
        "ئ": "ی",
        "ك": "ک",  # Arabic kaf
        "ة": "ه",  # teh marbuta
        "ۀ": "ه",  # heh with yeh above
        "ۂ": "ه",
        "أ": "ا",
        "إ": "ا",
        "ٱ": "ا",
        "ؤ": "و",
        "٠": "0",
        "١": "1",
        "٢": "2",
        "٣": "3",
        "٤": "4",
        "٥": "5",
        "٦": "6",
        "٧": "7",
        "٨": "8",
        "٩": "9",
        "۰": "0",
        "۱": "1",
        "۲": "2",
        "۳": "3",
        "۴": "4",
        "۵": "5",
        "۶": "6",
        "۷": "7",
        "۸": "8",
        "۹": "9",
    }
)
# Harakat, tanwin, shadda, sukun, superscript alef, small high marks, tatweel.
_DROPPED = re.compile("[\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
# Zero-width characters and bidi marks that may sit inside words.
_INVISIBLE = re.compile("[\u200b\u200d\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_ZWNJ = "\u200c"
_NON_WORD = re.compile(r"[^\w\u200c]+", re.UNICODE)
_SPACES = re.compile(r"\s+")
# «می خواهم» → «میخواهم»; «نمی خواهم» → «نمیخواهم».
_PREFIX_SPACE = re.compile(r"(?<!\S)(ن?می) (?=\S)")
# «کارت ها» → «کارتها», «مدارک های» → «مدارکهای».
_SUFFIX_SPACE = re.compile(r"(?<=\S) (ها|های|هایی|هایم|هایت|هایش|هایمان|هایتان|هایشان)(?!\S)")

STOP_WORDS = frozenset(
    """
    و در به از که را با برای این آن یک تا یا هم نیز اما اگر چون چه چی چرا چطور چگونه
    کجا کی کدام است هست نیست بود شد شود میشود باید هستم هستیم من ما تو شما او آنها
    ایشان خود بر پس پیش روی زیر بین درباره مورد طریق توسط وی ای آیا ها های
    میخواهم میخوام خواهم میخواستم لطفا لطفاً چیست چطوری کنم کنید بکنم بگیرم
    the a an of for to in on and or is are how do i my what where can get
    """.split()
)

_PLURAL_SUFFIXES = ("هایی", "های", "ها")
_VERB_PREFIXES = ("نمی", "می")


def normalize(text: str) -> str:
    """One spelling for a Persian (or English) text; words separated by single spaces."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", text)
    text = text.translate(_LETTERS)
    text = _DROPPED.sub("", text)
    text = _INVISIBLE.sub("", text)
    text = text.lower()
    text = _NON_WORD.sub(" ", text).replace("_", " ")
    # A zero-width non-joiner joins: «کارت‌ها» and «کارتها» are one word.
    text = _SPACES.sub(" ", text.replace(_ZWNJ, "")).strip()
    text = _PREFIX_SPACE.sub(r"\1", text)
    return _SUFFIX_SPACE.sub(r"\1", text)


def stem(word: str) -> str:
    """Strip one plural suffix and one verb prefix, keeping at least three letters."""
    for suffix in _PLURAL_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    for prefix in _VERB_PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= 3:
            word = word[len(prefix) :]
            break
    return word


def terms(text: str) -> list[str]:
    """The searchable terms of a text: normalised, without stop words, stemmed."""
    return [stem(word) for word in normalize(text).split() if word not in STOP_WORDS]


def search_text(text: str) -> str:
    """``terms`` joined by spaces: what is indexed and what queries are matched against."""
    return " ".join(terms(text))


def in_page_language(persian: str, english: str, *, fallback: bool = True) -> str:
    """``english`` on English pages (when there is one), else ``persian``. With
    ``fallback=False`` an English page gets ``english`` even when it is empty."""
    from django.utils import translation

    if translation.get_language() == "en" and (english or not fallback):
        return english
    return persian
