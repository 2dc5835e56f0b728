"""The words of the data a question may name, and how a typed word is matched to them:
folded, abbreviations written out, a typo forgiven only where it cannot change the meaning
(two letters swapped in a word of five or more, one edit in six or more, two in nine or more,
or the same OCR key). Used by :mod:`theodoi.domain.question`."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from rapidfuzz.distance import OSA, Levenshtein

from theodoi.domain.ocr import word_key
from theodoi.domain.text import fold


@dataclass(frozen=True)
class Term:
    """A word of the vocabulary: a unit, a figure (element), a share (ratio), a plan, an
    indicator; ``phrases`` are its folded names, each a tuple of words."""

    kind: str
    key: str
    label: str
    phrases: tuple[tuple[str, ...], ...]
    measure: str = ""  # a figure's unit, folded ("ho so", "nguoi", "%")


@dataclass(frozen=True)
class Vocabulary:
    """Everything a question may name, built from the data (see :mod:`theodoi.ask`)."""

    terms: tuple[Term, ...]
    abbreviations: Mapping[str, str] = field(default_factory=dict)
    task_codes: frozenset[str] = frozenset()


_WORD = re.compile(r"[a-z0-9]+(?:[.,][0-9]+)*")


# a typed word stands for a known one it is not equal to when OCR confuses them (same key), or
# when two neighbouring letters are swapped in a word of at least 5 letters, or when it is
# one edit away from a word of at least 6 letters, two from one of at least 9:
# "tuyen" is not "huyen", "nhiem" is not "nhiep", but "truc tuyne" is "truc tuyen"
_ONE_EDIT_LENGTH = 6
_SWAP_LENGTH = 5
_TWO_EDITS_LENGTH = 9


def words_of(text: str) -> list[str]:
    return _WORD.findall(text)


def same_word(typed: str, known: str) -> bool:
    if typed == known:
        return True
    if known.isdigit() or typed.isdigit() or len(known) < 4:
        return False
    if word_key(typed) == word_key(known) and len(typed) == len(known):
        return True
    if len(known) >= _SWAP_LENGTH and sorted(typed) == sorted(known):
        # two letters typed the wrong way round ("tuyne"): the same letters, one swap away
        return OSA.distance(typed, known) == 1
    allowed = 2 if len(known) >= _TWO_EDITS_LENGTH else 1 if len(known) >= _ONE_EDIT_LENGTH else 0
    return allowed > 0 and Levenshtein.distance(typed, known, score_cutoff=allowed) <= allowed


def expand(text: str, abbreviations: Mapping[str, str]) -> str:
    """Folded ``text`` with the offices' abbreviations written out ("cds" → "chuyen doi so")."""

    def written_out(token: str) -> str:
        # the abbreviation as typed ("vh-xh", "q.1"), punctuation around it aside ("kt?")
        core = token.strip("?!,;:()\"'“”")
        if core in abbreviations:
            return token.replace(core, abbreviations[core])
        if re.fullmatch(r"[\d./-]+", core):
            return token  # a date or a number: "01-10-2025"
        return " ".join(abbreviations.get(w, w) for w in token.replace("-", " ").split())

    words = [written_out(token) for token in fold(text).split()]
    # "tỉ lệ" is "tỷ lệ" spelt the other accepted way
    return re.sub(r"\bti le\b", "ty le", " ".join(words))


@dataclass(frozen=True)
class Found:
    """A term found in a question: the words ``[start, end)`` it covers and how well."""

    term: Term
    start: int
    end: int
    score: float


def find_terms(words: list[str], terms: tuple[Term, ...], kinds: tuple[str, ...]) -> list[Found]:
    """Every term of ``kinds`` whose phrase appears in ``words``, in order, each word exactly
    or despite a typo, with at most one word between two of its words. Best first."""
    found: list[Found] = []
    for term in terms:
        if term.kind not in kinds:
            continue
        best: Found | None = None
        for phrase in term.phrases:
            hit = _phrase_at(words, phrase)
            if hit is not None and (best is None or hit[2] > best.score):
                best = Found(term, hit[0], hit[1], hit[2])
        if best is not None:
            found.append(best)
    found.sort(key=lambda f: (-f.score, f.start))
    return found


def _phrase_at(words: list[str], phrase: tuple[str, ...]) -> tuple[int, int, float] | None:
    """Where ``phrase`` is in ``words`` (start, end, score), the best placement."""
    if not phrase:
        return None
    if len(phrase) == 1:
        # one word alone is too little to forgive a typo in
        return next(((i, i + 1, 1.0) for i, w in enumerate(words) if w == phrase[0]), None)
    best = None
    for first in range(len(words)):
        if not same_word(words[first], phrase[0]):
            continue
        i, gaps, exact = first + 1, 0, int(words[first] == phrase[0])
        ok = True
        for known in phrase[1:]:
            if i < len(words) and same_word(words[i], known):
                exact += words[i] == known
                i += 1
            elif i + 1 < len(words) and same_word(words[i + 1], known):
                exact += words[i + 1] == known
                i += 2
                gaps += 1
            else:
                ok = False
                break
        if not ok:
            continue
        # longer phrases first; a gap or a misspelt word costs a little
        score = len(phrase) - 0.3 * gaps - 0.1 * (len(phrase) - exact)
        if best is None or score > best[2]:
            best = (first, i, score)
    return best


_TYPED_WORD = re.compile(r"[^\W_]+(?:[.,][0-9]+)*")


def as_typed(original: str, folded: str) -> str:
    """The words of ``original`` that ``folded`` stands for, as they were typed (with their
    diacritics): what a message quotes back to the user. ``folded`` itself when they cannot
    be found (an abbreviation written out)."""
    wanted = folded.split()
    if not wanted:
        return folded
    typed = _TYPED_WORD.findall(original)
    keys = [fold(w) for w in typed]
    for start in range(len(keys) - len(wanted) + 1):
        if keys[start : start + len(wanted)] == wanted:
            return " ".join(typed[start : start + len(wanted)])
    return folded
