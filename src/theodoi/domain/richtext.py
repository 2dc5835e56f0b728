"""Text written in the browser's editor: kept to what a report holds, turned into the
report's paragraphs, and checked for numbers typed by hand.

What the editor sends is cleaned by ``nh3`` (the Rust ``ammonia`` sanitiser): paragraphs,
lists, bold, italic, underline, superscript (a footnote mark), line breaks, and the *live
figures* — nothing else, no script. A live figure is a number that comes from the data:
``<span class="so-lieu" data-so-lieu="KEY">1.289</span>``; the report reads the figure's
value at the time it is built, not the text the span held when it was saved. A number typed
over one is plain text: unlinked, and flagged. Pure: no Django.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from html import escape
from html.parser import HTMLParser

import nh3

from theodoi.domain.formatting import format_number

TAGS = {"p", "br", "ul", "ol", "li", "strong", "b", "em", "i", "u", "sup", "sub"}
MAX_HTML = 200_000  # characters of one section or contribution
NUMBER = re.compile(r"(?<![\w/.,-])(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d+)?(?![\w/-]|\.\d|,\d)")


class RichTextError(ValueError):
    """Text that cannot be kept; the message is Vietnamese."""


def clean(html: str) -> str:
    """``html`` reduced to the tags a report holds, control characters dropped."""
    if len(html) > MAX_HTML:
        raise RichTextError(
            f"Nội dung dài quá {MAX_HTML:,} ký tự; hãy chia bớt sang mục khác.".replace(",", ".")
        )
    html = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", "", html)
    return nh3.clean(
        html,
        tags=TAGS | {"span"},
        attributes={"span": {LIVE_ATTR, "title"}},
        allowed_classes={"span": {LIVE_CLASS}},
        link_rel=None,
    ).strip()


LIVE_ATTR = "data-so-lieu"
LIVE_CLASS = "so-lieu"
LIVE_MISSING = "[chưa có số liệu]"
_LIVE_SPAN = re.compile(r'(<span\b[^>]*\bdata-so-lieu="([^"]*)"[^>]*>)([^<]*)(</span>)')
Resolver = Callable[[str, str], str]


def figure_key(code: str, scope: str = "", unit: str = "") -> str:
    """The key a live figure names its figure by: the element, its breakdown, its unit."""
    return "|".join((code, scope or "", unit or ""))


def _number(token: str) -> Decimal | None:
    try:
        return Decimal(token.replace(".", "").replace(",", "."))
    except InvalidOperation:
        return None


def _places(token: str) -> int:
    return len(token.partition(",")[2])


class LiveFigures:
    """Reads live figures against the data's current values (``key → value``): the value
    written with as many decimals as the text had; a figure the data no longer has reads
    "[chưa có số liệu]" (never the old number). Records what it linked and what it missed."""

    def __init__(self, values: Mapping[str, Decimal]) -> None:
        self.values = values
        self.linked: list[str] = []
        self.missing: list[str] = []

    def __call__(self, key: str, text: str) -> str:
        value = self.values.get(key)
        if value is None:
            self.missing.append(key)
            return LIVE_MISSING
        self.linked.append(key)
        return format_number(value, _places(text.strip()))


def link_figures(line: str, figures: Mapping[str, tuple[Decimal, str]]) -> str:
    """``line`` as escaped HTML with each number that states one of ``figures`` (key →
    value, source) made a live figure. A small whole number (under 10) is left as text: it
    is as likely a heading's or a list's number as a figure's."""
    out: list[str] = []
    last = 0
    for match in NUMBER.finditer(line):
        token = match.group(0)
        value = _number(token)
        if value is None or token not in numbers(line) or (abs(value) < 10 and "," not in token):
            continue
        places = _places(token)
        found = next(
            (
                (key, source)
                for key, (figure, source) in figures.items()
                if format_number(figure, places) == token
            ),
            None,
        )
        if found is None:
            continue
        key, source = found
        title = f' title="{escape(source)}"' if source else ""
        out.append(escape(line[last : match.start()]))
        out.append(
            f'<span class="{LIVE_CLASS}" {LIVE_ATTR}="{escape(key)}"{title}>{escape(token)}</span>'
        )
        last = match.end()
    out.append(escape(line[last:]))
    return "".join(out)


def relink(html: str, resolve: Resolver) -> str:
    """Cleaned ``html`` with each live figure's text the data's current value."""
    return _LIVE_SPAN.sub(
        lambda m: m.group(1) + escape(resolve(m.group(2), m.group(3))) + m.group(4), html
    )


class _Paragraphs(HTMLParser):
    def __init__(self, live: Resolver | None = None) -> None:
        super().__init__(convert_charrefs=True)
        self.live = live
        self.live_key: str | None = None  # inside a live figure
        self.live_text: list[str] = []
        self.out: list[str] = []
        self.plain_out: list[str] = []  # the paragraphs without their live figures
        self.plain_current: list[str] = []
        self.headings: list[bool] = []  # a paragraph all in bold: a heading of the section
        self.current: list[str] = []
        self.bold = 0
        self.plain = False  # the current paragraph has text outside bold
        self.in_item = False
        self.lists: list[str] = []
        self.numbers: list[int] = []

    def _flush(self) -> None:
        text = " ".join("".join(self.current).split())
        if text:
            self.out.append(text)
            self.plain_out.append(" ".join("".join(self.plain_current).split()))
            self.headings.append(not self.plain and not self.in_item)
        self.current = []
        self.plain_current = []
        self.plain = False

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag == "span" and self.live_key is None:
            key = dict(attrs).get(LIVE_ATTR)
            if key is not None:
                self.live_key, self.live_text = key, []
                return
        if tag in ("strong", "b"):
            self.bold += 1
        if tag in ("p", "li"):
            self._flush()
            self.in_item = tag == "li"
            if tag == "li" and self.lists:
                if self.lists[-1] == "ol":
                    self.numbers[-1] += 1
                    self.current.append(f"{self.numbers[-1]}. ")
                else:
                    self.current.append("- ")
                self.plain_current.append(self.current[-1])
        elif tag in ("ul", "ol"):
            self._flush()
            self.lists.append(tag)
            self.numbers.append(0)
        elif tag == "br":
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if tag == "span" and self.live_key is not None:
            text = "".join(self.live_text)
            self.current.append(self.live(self.live_key, text) if self.live else text)
            if text.strip():
                self.plain = self.plain or not self.bold
            self.live_key = None
            return
        if tag in ("strong", "b"):
            self.bold = max(0, self.bold - 1)
        if tag in ("p", "li"):
            self._flush()
            self.in_item = False
        elif tag in ("ul", "ol") and self.lists:
            self._flush()
            self.lists.pop()
            self.numbers.pop()

    def handle_data(self, data: str) -> None:
        if self.live_key is not None:
            self.live_text.append(data)
            return
        if data.strip() and not self.bold:
            self.plain = True
        self.current.append(data)
        self.plain_current.append(data)


def _parsed(html: str, live: Resolver | None = None) -> _Paragraphs:
    parser = _Paragraphs(live)
    parser.feed(clean(html))
    parser.close()
    parser._flush()
    return parser


def paragraphs(html: str) -> list[str]:
    """The report's paragraphs of cleaned ``html``: a list item reads "- …" (or "1. …")."""
    return _parsed(html).out


def plain_paragraphs(html: str) -> list[str]:
    """The paragraphs of ``html`` without their live figures: what was typed by hand."""
    return _parsed(html).plain_out


def parts(html: str, live: Resolver | None = None) -> list[tuple[str, list[str]]]:
    """Cleaned ``html`` as the report's parts: a paragraph all in bold opens a part under
    that heading ("2. Hạ tầng số"); the paragraphs after it belong to it. A live figure
    reads what ``live`` answers for it (its saved text when none is given)."""
    parser = _parsed(html, live)
    found: list[tuple[str, list[str]]] = []
    for text, heading in zip(parser.out, parser.headings, strict=True):
        if heading:
            found.append((text, []))
        elif found:
            found[-1][1].append(text)
        else:
            found.append(("", [text]))
    return found


def as_html(
    lines: list[str], heading: str = "", figures: Mapping[str, tuple[Decimal, str]] | None = None
) -> str:
    """Report paragraphs as the editor's HTML: "- …" lines become a bulleted list; a
    heading, a paragraph in bold; the numbers that state ``figures`` live figures."""
    figures = figures or {}
    out: list[str] = [f"<p><strong>{escape(heading)}</strong></p>"] if heading else []
    in_list = False
    for line in lines:
        if line.startswith("- "):
            if not in_list:
                out.append("<ul>")
                in_list = True
            out.append(f"<li>{link_figures(line[2:], figures)}</li>")
            continue
        if in_list:
            out.append("</ul>")
            in_list = False
        out.append(f"<p>{link_figures(line, figures)}</p>")
    if in_list:
        out.append("</ul>")
    return "".join(out)


def numbers(text: str) -> list[str]:
    """The numbers written in ``text`` as the reports write them ("1.289", "95,0", "12"),
    dates, symbols and codes left aside ("31/03/2026", "96/KH-UBND", "57-NQ/TW")."""
    found = NUMBER.findall(text)
    return [n for n in found if not (len(n) == 4 and n.isdigit() and 1990 <= int(n) <= 2100)]


def typed_numbers(edited: list[str], generated: list[str]) -> list[str]:
    """The numbers of the edited text that the data did not give: typed over or typed in
    by hand, each once, in the order they appear."""
    known = set()
    for line in generated:
        known.update(numbers(line))
    seen: list[str] = []
    for line in edited:
        for number in numbers(line):
            if number not in known and number not in seen:
                seen.append(number)
    return seen
