"""Finding a unit or a data element by what a user typed: code, exact name, or a suggestion.

An exact code, or a name or alias equal after folding (case and diacritics ignored), is a
match. Anything else is compared with rapidfuzz on folded text; names scoring at least
:data:`SUGGESTION_SCORE` are offered as suggestions for the user to confirm — never taken
silently.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Generic, TypeVar

from rapidfuzz import fuzz, process

from theodoi.domain.text import fold
from theodoi.exchange.excel.reader import Invalid

SUGGESTION_SCORE = 85
T = TypeVar("T")


def fuzzy_key(text: str) -> str:
    """Folded text with punctuation as spaces: what fuzzy scores compare."""
    return re.sub(r"[^\w]+", " ", fold(text)).strip()


@dataclass(frozen=True)
class Suggestion(Generic[T]):
    """A close but not exact name, offered for confirmation."""

    obj: T
    label: str
    score: int


class NeedsConfirmation(Invalid):
    """The typed name is not exact but close to ``suggestions`` (best first)."""

    def __init__(self, reason: str, suggestions: list[Suggestion]):
        super().__init__(reason)
        self.suggestions = suggestions


class NameIndex(Generic[T]):
    """Objects found by code (exact, any case) or by name (exact after folding), with
    suggestions for near misses among the names."""

    def __init__(self, entries: Iterable[tuple[T, str, list[str], str]], *, what: str):
        """``entries``: (object, code, names, label shown in messages)."""
        self.what = what
        self.by_code: dict[str, T] = {}
        self.by_name: dict[str, list[T]] = {}
        self.labels: dict[int, str] = {}
        self.choices: list[str] = []
        self.choice_objects: list[T] = []
        for obj, code, names, label in entries:
            self.labels[id(obj)] = label
            if code:
                self.by_code.setdefault(code.casefold(), obj)
            for name in names:
                if not name:
                    continue
                found = self.by_name.setdefault(fold(name), [])
                if obj not in found:
                    found.append(obj)
                self.choices.append(fuzzy_key(name))
                self.choice_objects.append(obj)

    def label(self, obj: T) -> str:
        return self.labels[id(obj)]

    def find(self, text: str) -> T:
        """The object ``text`` names; raises :class:`Invalid` (unknown or ambiguous) or
        :class:`NeedsConfirmation` (close names only)."""
        code = self.by_code.get(text.strip().casefold())
        if code is not None:
            return code
        exact = self.by_name.get(fold(text), [])
        if len(exact) == 1:
            return exact[0]
        if exact:
            names = "; ".join(self.label(o) for o in exact[:5])
            raise Invalid(f"khớp với nhiều {self.what}: {names}. Hãy ghi mã.")
        suggestions = self.suggest(text)
        if suggestions:
            offered = "; ".join(f"“{s.label}” (điểm {s.score})" for s in suggestions)
            raise NeedsConfirmation(
                f"không khớp đúng tên {self.what} nào; gợi ý: {offered}. Sửa ô theo gợi ý, "
                "hoặc nhập lại với --accept-suggestions để dùng gợi ý đầu tiên.",
                suggestions,
            )
        raise Invalid(f"không có {self.what} nào có mã hoặc tên như vậy.")

    def suggest(self, text: str, limit: int = 3) -> list[Suggestion[T]]:
        key = fuzzy_key(text)
        if not key:
            return []
        found = process.extract(
            key,
            self.choices,
            scorer=fuzz.token_sort_ratio,
            score_cutoff=SUGGESTION_SCORE,
            limit=limit * 4,
        )
        suggestions: list[Suggestion[T]] = []
        seen: set[int] = set()
        for _, score, index in sorted(found, key=lambda f: (-f[1], f[2])):
            obj = self.choice_objects[index]
            if id(obj) in seen:
                continue
            seen.add(id(obj))
            suggestions.append(Suggestion(obj, self.label(obj), int(score)))
        return suggestions[:limit]
