"""Text that survives OCR: tokens with a position in the source and an OCR-tolerant key.

Scanned Vietnamese loses or mangles its diacritics: "chuyển đổi số" comes back as
"chuyén ddi sé", "chuyen dbi s6" or "chuyén d6i sb"; "Đảng" as "Pang", "DPang" or "Bang".
The consonants around each vowel survive far better than the vowels, so a word's *key* is its
initial consonant cluster and its final consonant with everything between them (vowels,
digits and letters that cannot stand there in Vietnamese) replaced by one ``z``:

    chuyển, chuyén, chuyen → chzn        đổi, ddi, dbi, d6i → dz        số, sé, s6, sb, s → sz

"z" never occurs in Vietnamese words, so a key cannot collide with a real word. A ``P`` at
the start of a word stands for ``Đ`` (Vietnamese has no native word starting with "p" but
not "ph"); ``B`` for ``Đ`` is too common a real initial to rewrite, so patterns and queries
allow it instead (``key_alternatives``).

Tokens keep their offsets in the original text, so whatever is found through the keys can
be quoted verbatim and placed on its line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from theodoi.domain.text import fold

# Initial consonant clusters, longest first.
INITIALS = (
    "ngh",
    "ng",
    "nh",
    "ch",
    "gh",
    "gi",
    "kh",
    "ph",
    "qu",
    "th",
    "tr",
    "b",
    "c",
    "d",
    "g",
    "h",
    "k",
    "l",
    "m",
    "n",
    "p",
    "r",
    "s",
    "t",
    "v",
    "x",
)
FINALS = ("ng", "nh", "ch", "c", "m", "n", "p", "t")
CONSONANTS = set("bcdghklmnpqrstvx")

# Characters OCR puts in place of letters: "$6" (số), "¢4" (cá), "k¥" (kỹ), "1€" (lệ).
OCR_CHARS = str.maketrans({"$": "s", "¢": "c", "€": "e", "¥": "y", "@": "a", "|": "l"})

TOKEN_RE = re.compile(
    r"(?P<date>\d{1,2}[/.]\d{1,2}[/.](?:19|20)\d{2})(?!\d)"
    r"|(?P<ocrword>1[a-zA-ZÀ-ỹĐđ€][\w$¢€¥]*|1\d[a-zA-ZÀ-ỹĐđ][\w$¢€¥]*)"
    r"|(?P<number>\d{1,3}(?:\.\d{3})+(?:,\d+)?(?!\d)|\d+(?:[.,]\d+)?)"
    r"|(?P<word>[^\W\d_][\w$¢€¥]*|[$¢][\w$¢€¥]*)"
    r"|(?P<punct>[^\w\s])",
)


@dataclass(frozen=True)
class Token:
    """One token of a text: ``kind`` is word, number, date or punct; ``key`` is the OCR-
    tolerant key of a word, the digits of a number, the text otherwise."""

    kind: str
    text: str
    key: str
    start: int
    end: int


# Mixed-case names as written and as OCR reads them.
KNOWN_NAMES = {"vneid": "vneid", "vneld": "vneid", "vnelD": "vneid", "iot": "iot", "loT": "iot"}


@lru_cache(maxsize=65536)
def word_key(word: str) -> str:
    """The OCR-tolerant key of one word (see the module docstring)."""
    letters = fold(word.translate(OCR_CHARS))
    if not letters:
        return ""
    if letters in KNOWN_NAMES and sum(ch.isupper() for ch in word) >= 2:
        return KNOWN_NAMES[letters]
    if letters[0] == "1" and len(letters) > 1:
        letters = "l" + letters[1:]
    if letters[0] == "p" and not letters.startswith("ph"):
        letters = "d" + letters[1:]
    if not letters[0].isalpha():
        return "z"
    initial = ""
    for candidate in INITIALS:
        if letters.startswith(candidate) and (len(letters) > len(candidate) or candidate != "gi"):
            initial = candidate
            break
    if initial == "qu" and len(letters) == 2:
        initial = "q"
    rest = letters[len(initial) :]
    final = ""
    for candidate in FINALS:
        if rest.endswith(candidate) and len(rest) > len(candidate):
            final = candidate
            break
    middle = rest[: len(rest) - len(final)]
    if word.isupper() and len(letters) > 1 and any(ch in CONSONANTS for ch in middle):
        # An acronym (UBND, SKHCN, CNTT, BC): no vowels to lose, keep it whole.
        return letters
    return f"{initial}z{final}"


def key_alternatives(key: str) -> tuple[str, ...]:
    """Keys an OCR'd word may show for ``key``: "Đ" also read as "B"."""
    if key.startswith("d"):
        return (key, "b" + key[1:])
    return (key,)


def tokens(text: str) -> list[Token]:
    """Split ``text`` into tokens with offsets and keys."""
    found: list[Token] = []
    for m in TOKEN_RE.finditer(text):
        kind = m.lastgroup or "punct"
        raw = m.group()
        if kind in ("word", "ocrword"):
            found.append(Token("word", raw, word_key(raw), m.start(), m.end()))
        elif kind == "number":
            found.append(Token("number", raw, raw, m.start(), m.end()))
        else:
            found.append(Token(kind, raw, raw, m.start(), m.end()))
    return found


def text_keys(text: str) -> str:
    """The keys of every word and number of ``text``, space-separated: the search form."""
    return " ".join(t.key for t in tokens(text) if t.kind in ("word", "number"))


def parse_number(raw: str) -> Decimal | None:
    """A number as Vietnamese documents write it: "1.045" → 1045, "98,39" → 98.39,
    "102.492.283.000" → 102492283000, "02" → 2; "20.1" (a dot before one or two digits) is
    read as a decimal, as OCR and some writers use it."""
    s = raw.strip()
    if not s:
        return None
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?", s):
        s = s.replace(".", "").replace(",", ".")
    elif re.fullmatch(r"\d+,\d+", s):
        s = s.replace(",", ".")
    elif re.fullmatch(r"\d{1,3}(?:,\d{3}){2,}", s):
        s = s.replace(",", "")
    elif not re.fullmatch(r"\d+(?:\.\d+)?", s):
        return None
    try:
        return Decimal(s)
    except InvalidOperation:
        return None


def decimals_stated(raw: str) -> int:
    """How many decimal places ``raw`` states ("98,39" → 2, "56" → 0, "5.092" → 0)."""
    s = raw.strip()
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+", s):
        return 0
    m = re.search(r"[.,](\d+)$", s)
    return len(m.group(1)) if m else 0
