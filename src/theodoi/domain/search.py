"""Finding a query in a text, exactly or despite lost diacritics and OCR errors.

A hit is graded by how literally the text carries the query, best first:

- ``EXACT``: the query's words in order, diacritics as typed, any case ("Đảng ủy"); only for
  a query typed with diacritics: without them, "chuyen doi so" in a scan that lost its marks
  is no better a match than "chuyển đổi số" in a clean text;
- ``FOLDED``: the same once both sides are folded ("dang uy" finds "Đảng ủy");
- ``OCR``: consecutive words whose OCR-tolerant keys (:mod:`theodoi.domain.ocr`) are the
  query's keys, Đ also read as B ("Đảng ủy" finds "DPang uy", "Bang uy");
- ``FUZZY``: every query word within a short window in any order, a word matching by its key
  or by a close spelling of its folded form ("thuce hién" for "thực hiện").

Every hit keeps its offsets in the original text so it can be quoted in context and placed on
its line. Between the query's words the text may have any run of whitespace and
punctuation, line breaks included: a scanned page breaks phrases across lines.
"""

from __future__ import annotations

import re
import string
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from enum import IntEnum
from functools import lru_cache

from rapidfuzz import fuzz

from theodoi.domain.ocr import TOKEN_RE, key_alternatives, word_key
from theodoi.domain.text import fold

# How many extra words a fuzzy hit may hold besides the query's own.
FUZZY_WINDOW_EXTRA = 3
# rapidfuzz ratio (0–100) at which two folded words count as the same word misspelt.
FUZZY_MIN_RATIO = 80
# Words shorter than this match fuzzily only through their keys: "va" and "vi" are too close.
FUZZY_MIN_LENGTH = 4

_SPACE = re.compile(r"\s+")
_EDGE_PUNCTUATION = string.punctuation + "“”‘’«»…–—"


class Tier(IntEnum):
    """How literally a hit carries the query; lower is better."""

    EXACT = 0
    FOLDED = 1
    OCR = 2
    FUZZY = 3


@dataclass(frozen=True)
class Hit:
    """Where the query was found in a text: ``text[start:end]``, graded by ``tier``."""

    start: int
    end: int
    tier: Tier


@dataclass(frozen=True)
class Query:
    """A search query taken apart once: its words as typed, folded, and their keys (each with
    the keys OCR may show instead)."""

    text: str
    words: tuple[str, ...]
    folded_words: tuple[str, ...]
    # Typed with diacritics (or đ): only then is an exact hit better than a folded one.
    has_marks: bool
    # One entry per word or number of the query, in order: its keys, and its folded text.
    keys: tuple[tuple[str, ...], ...]
    key_words: tuple[str, ...]

    def __bool__(self) -> bool:
        return bool(self.keys)


MAX_QUERY_LENGTH = 200


def parse_query(query: str) -> Query:
    """Take ``query`` apart. A query without a word or a number is empty (false)."""
    # Control characters (a NUL pasted from a file) are not text; a query longer than a
    # sentence is cut, so one request cannot keep the database busy.
    text = "".join(ch for ch in (query or "") if ch.isprintable() or ch.isspace())
    text = unicodedata.normalize("NFC", text).strip()[:MAX_QUERY_LENGTH]
    # Quotes, brackets and commas around words ('"chuyển đổi số"', "(UBND)") are not asked
    # for; the punctuation inside a symbol ("96/KH-UBND") is.
    words = tuple(w for w in (w.strip(_EDGE_PUNCTUATION) for w in text.split()) if w)
    keys: list[tuple[str, ...]] = []
    key_words: list[str] = []
    for word in _words(text):
        keys.append(word_alternatives(word.text) if word.is_word else (word.key,))
        key_words.append(fold(word.text))
    folded_words = tuple(w for w in (fold(word) for word in words) if w)
    marks = any(unicodedata.combining(ch) for ch in unicodedata.normalize("NFD", text))
    return Query(
        text=text,
        words=words,
        folded_words=folded_words,
        has_marks=marks or "đ" in text.lower(),
        keys=tuple(keys),
        key_words=tuple(key_words),
    )


def word_alternatives(word: str) -> tuple[str, ...]:
    """The keys a word typed in a query may show in a text: its key and, for Đ, the key with
    B. A word typed in lower case that cannot be a Vietnamese syllable ("ubnd", "cntt",
    "vneid") is taken as the acronym documents write in capitals ("UBND"): its own key would
    keep only its first consonants and match every "về" and "vì"."""
    if not word.isupper():
        acronym = word_key(word.upper())
        if "z" not in acronym:
            return (acronym,)
    return key_alternatives(word_key(word))


def find_hits(text: str, query: str | Query) -> list[Hit]:
    """Every place ``query`` occurs in ``text``, each graded by its best tier, in text order.

    Hits do not overlap: where a better and a worse reading of the same place both match, the
    better one is kept."""
    parsed = query if isinstance(query, Query) else parse_query(query)
    if not text or not parsed:
        return []
    found = _phrase_hits(text, parsed) + _folded_hits(text, parsed)
    found += _key_hits(text, parsed)
    return _without_overlaps(found)


def best_tier_hits(text: str, query: str | Query) -> list[Hit]:
    """The hits of the best tier ``query`` reaches in ``text``, in text order; the worse tiers
    are not looked for (what a result list needs, at a fraction of :func:`find_hits`' cost on
    a long text)."""
    parsed = query if isinstance(query, Query) else parse_query(query)
    if not text or not parsed:
        return []
    for finder in (_phrase_hits, _folded_hits):
        hits = finder(text, parsed)
        if hits:
            return hits
    hits = _key_hits(text, parsed)
    best = min((h.tier for h in hits), default=None)
    return _without_overlaps([h for h in hits if h.tier == best])


def best_hit(hits: list[Hit]) -> Hit | None:
    """The hit to show: the best tier, then the earliest."""
    return min(hits, key=lambda h: (h.tier, h.start), default=None)


def _without_overlaps(hits: list[Hit]) -> list[Hit]:
    """Keep the best of overlapping hits (better tier, then earlier, then longer)."""
    accepted: list[Hit] = []
    for hit in sorted(hits, key=lambda h: (h.tier, h.start, h.start - h.end)):
        if all(hit.end <= other.start or hit.start >= other.end for other in accepted):
            accepted.append(hit)
    return sorted(accepted, key=lambda h: h.start)


def _phrase_pattern(words: tuple[str, ...]) -> re.Pattern[str] | None:
    if not words:
        return None
    # Between words any run of spaces, line breaks and punctuation: "kế hoạch lộ trình"
    # finds "kế hoạch, lộ trình", as a full-text index (which drops punctuation) does.
    body = r"[\W_]+".join(re.escape(word) for word in words)
    # Whole words only where the query starts or ends with a letter or digit.
    head = r"(?<!\w)" if re.match(r"\w", words[0]) else ""
    tail = r"(?!\w)" if re.search(r"\w$", words[-1]) else ""
    return re.compile(head + body + tail, re.IGNORECASE)


def _phrase_hits(text: str, query: Query) -> list[Hit]:
    pattern = _phrase_pattern(query.words) if query.has_marks else None
    if pattern is None:
        return []
    return [Hit(m.start(), m.end(), Tier.EXACT) for m in pattern.finditer(text)]


def _folded_hits(text: str, query: Query) -> list[Hit]:
    pattern = _phrase_pattern(query.folded_words)
    if pattern is None:
        return []
    folded, origin = _fold_with_offsets(text)
    # A hit ends where the next folded character starts: the combining marks of its last
    # letter (which fold to nothing) belong to it.
    ends = [*origin[1:], len(text)] if isinstance(origin, list) else None
    return [
        Hit(origin[m.start()], ends[m.end() - 1] if ends else m.end(), Tier.FOLDED)
        for m in pattern.finditer(folded)
        if m.end() > m.start()
    ]


@lru_cache(maxsize=8192)
def _fold_char(ch: str) -> str:
    if ch.isspace():
        return " "
    return fold(ch) or ("" if unicodedata.combining(ch) else ch)


def _fold_with_offsets(text: str) -> tuple[str, Sequence[int]]:
    """``text`` folded character by character, with the original offset of every folded
    character (fold() itself collapses whitespace, which would lose the offsets)."""
    table = {ord(ch): _fold_char(ch) for ch in set(text)}
    uneven = [chr(code) for code, piece in table.items() if len(piece) != 1]
    if not uneven:
        # Precomposed Vietnamese folds one character to one: offsets are unchanged.
        return text.translate(table), range(len(text))
    # A ligature (OCR's "ﬁ") folds to two characters, a combining mark to none.
    origin: list[int] = []
    last = 0
    for m in re.finditer("[" + "".join(re.escape(ch) for ch in uneven) + "]", text):
        origin.extend(range(last, m.start()))
        origin.extend([m.start()] * len(table[ord(m.group())]))
        last = m.end()
    origin.extend(range(last, len(text)))
    return text.translate(table), origin


@dataclass(frozen=True)
class _Word:
    text: str
    key: str
    start: int
    end: int
    is_word: bool


# A long text repeats its words: key each distinct word once.
_cached_word_key = lru_cache(maxsize=65536)(word_key)


def _words(text: str) -> list[_Word]:
    """The words, numbers and dates of ``text`` with their keys, as
    :func:`theodoi.domain.ocr.tokens` reads them, each distinct word keyed once. A number or a
    date is its own key."""
    found = []
    for m in TOKEN_RE.finditer(text):
        kind = m.lastgroup
        if kind in ("word", "ocrword"):
            key = _cached_word_key(m.group())
            if key:
                found.append(_Word(m.group(), key, m.start(), m.end(), True))
        elif kind in ("number", "date"):
            found.append(_Word(m.group(), m.group(), m.start(), m.end(), False))
    return found


def index_keys(text: str) -> str:
    """The keys of every word, number and date of ``text``, space-separated: the form a
    full-text index holds so that a query's keys (:attr:`Query.keys`) find it as a phrase."""
    return " ".join(word.key for word in _words(text))


def _key_hits(text: str, query: Query) -> list[Hit]:
    words = _words(text)
    wanted = query.keys
    size = len(wanted)
    if not words or not size:
        return []
    hits: list[Hit] = []
    by_key = [tuple(w.key in alternatives for alternatives in wanted) for w in words]
    # OCR tier: the query's keys on consecutive words, in order.
    for i in range(len(words) - size + 1):
        if all(by_key[i + k][k] for k in range(size)):
            hits.append(Hit(words[i].start, words[i + size - 1].end, Tier.OCR))
    # Fuzzy tier: every query word somewhere in a short window, by key or by spelling.
    similar = _Similar(query.key_words)
    matched = [
        {k for k in range(size) if by_key[i][k]} | similar(words[i].text) for i in range(len(words))
    ]
    window = size + FUZZY_WINDOW_EXTRA
    for i, first in enumerate(matched):
        if not first:
            continue
        covered: set[int] = set()
        for j in range(i, min(i + window, len(words))):
            covered |= matched[j]
            if len(covered) == size:
                hits.append(Hit(words[i].start, words[j].end, Tier.FUZZY))
                break
    return hits


class _Similar:
    """Which of the query's words a text word is a close spelling of, remembered per word."""

    def __init__(self, typed: tuple[str, ...]) -> None:
        self.typed = [(index, t) for index, t in enumerate(typed) if len(t) >= FUZZY_MIN_LENGTH]
        self.seen: dict[str, frozenset[int]] = {}

    def __call__(self, word: str) -> frozenset[int]:
        if word not in self.seen:
            folded = fold(word) if self.typed and len(word) >= FUZZY_MIN_LENGTH else ""
            self.seen[word] = frozenset(
                index
                for index, typed in self.typed
                if len(folded) >= FUZZY_MIN_LENGTH and fuzz.ratio(folded, typed) >= FUZZY_MIN_RATIO
            )
        return self.seen[word]


def snippet(text: str, hit: Hit, width: int = 80) -> tuple[str, str, str]:
    """The hit in context: up to ``width`` characters before and after it, cut between words
    and marked with "…" where cut, whitespace collapsed to single spaces."""
    start, end = hit.start, hit.end
    before = text[max(0, start - width) : start]
    after = text[end : end + width]
    if start - width > 0:
        # Drop the word cut in half.
        cut = re.search(r"\s", before)
        before = "…" + (before[cut.end() :] if cut else "")
    if end + width < len(text):
        cut = re.search(r"\s\S*$", after)
        after = (after[: cut.start()] if cut else "") + "…"
    before = _SPACE.sub(" ", before).lstrip()
    after = _SPACE.sub(" ", after).rstrip()
    return before, _SPACE.sub(" ", text[start:end]), after


def line_number(text: str, offset: int) -> int:
    """The 1-based line of ``text`` that ``offset`` falls on."""
    return text.count("\n", 0, offset) + 1
