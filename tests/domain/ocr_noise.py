"""Deterministic OCR-like damage for Vietnamese text, modelled on the seeds 003 and 004:
tone marks dropped or swapped, "ô/ơ/ố" read as "6", "é" or "o", "đ" as "d", "Đ" as "P" or "B",
"ư" as "w" or "u", "số" as "s6"/"sb"/"s". Used to try extraction on reports it has never seen."""

from __future__ import annotations

import random
import re
import unicodedata

_WORD_SWAPS = {
    "số": ["s6", "sb", "s", "sé", "so"],
    "Số": ["S6", "Sb", "So"],
    "đổi": ["ddi", "dbi", "d6i", "déi"],
}


def _strip(ch: str) -> str:
    if ch in "đĐ":
        return "d" if ch == "đ" else "D"
    return unicodedata.normalize("NFD", ch)[0]


def damage(text: str, *, seed: int = 57, rate: float = 0.85) -> str:
    rng = random.Random(seed)

    def word(m: re.Match[str]) -> str:
        w = m.group()
        if w in _WORD_SWAPS and rng.random() < 0.7:
            return rng.choice(_WORD_SWAPS[w])
        if rng.random() > rate:
            return w
        out = []
        for i, ch in enumerate(w):
            base = _strip(ch)
            if ch == "Đ" and i == 0:
                out.append(rng.choice("PBD"))
            elif ch in "ôơốồổộớờởợ" and rng.random() < 0.3:
                out.append(rng.choice(["6", "é", "o", "d"]))
            elif ch in "ư" and rng.random() < 0.4:
                out.append(rng.choice(["w", "u", "ir"]))
            elif base != ch and base in "aeiouyAEIOUY" and rng.random() < 0.25:
                out.append(rng.choice(["é", "á", "ó", base]))
            else:
                out.append(base)
        return "".join(out)

    return re.sub(r"[^\W\d_]+", word, text)
