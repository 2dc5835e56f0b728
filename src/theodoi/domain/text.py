"""Vietnamese text folding for search and matching.

Folding removes tone marks and vowel modifiers, maps đ/Đ to d and lower-cases, so that
"Đảng ủy" and "dang uy" compare equal. It is the key used by every accent-insensitive
lookup in the system.
"""

from __future__ import annotations

import re
import unicodedata

_D_MAP = str.maketrans({"đ": "d", "Đ": "d", "ð": "d", "Ð": "d"})
_SPACES = re.compile(r"\s+")
_DASHES = str.maketrans({"–": "-", "—": "-", "‑": "-", "−": "-"})


def fold(text: str) -> str:
    """Return ``text`` without diacritics, with đ→d, lower-cased and whitespace collapsed."""
    text = text.translate(_D_MAP).translate(_DASHES)
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped).strip().casefold()


def normalize(text: str) -> str:
    """Unicode NFC with collapsed whitespace: the canonical stored form of Vietnamese text."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


def matches(query: str, *texts: str | None) -> bool:
    """Every word of ``query`` appears in the texts, ignoring diacritics (đ as d) and case."""
    words = fold(query).split()
    haystack = " ".join(fold(text or "") for text in texts)
    return all(word in haystack for word in words)
