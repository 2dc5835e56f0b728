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


# Control characters a person never means to type (pasted from Word, a PDF, a terminal):
# every C0 control but tab and line feed, DEL and the C1 controls. A vertical tab or form feed
# (Word's manual line and page breaks) is a line break.
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_BREAKS = re.compile("\r\n|[\r\x0b\x0c\u2028\u2029]")


def clean_typed_text(text: str) -> str:
    """What a person typed, as it is stored and printed: NFC, line breaks as ``\\n``, and no
    control character a document or a spreadsheet cannot hold."""
    text = unicodedata.normalize("NFC", text or "")
    return _CONTROL.sub("", _BREAKS.sub("\n", text))
