"""Text written in the browser's editor: kept to what a report holds, turned into the
report's paragraphs, and checked for numbers typed by hand.

What the editor sends is cleaned by ``nh3`` (the Rust ``ammonia`` sanitiser): paragraphs,
lists, bold, italic, underline, superscript (a footnote mark), line breaks — nothing else, no
attribute, no script. Pure: no Django.
"""

from __future__ import annotations

import re
from html import escape
from html.parser import HTMLParser

import nh3

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
    return nh3.clean(html, tags=TAGS, attributes={}, link_rel=None).strip()


class _Paragraphs(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
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
            self.headings.append(not self.plain and not self.in_item)
        self.current = []
        self.plain = False

    def handle_starttag(self, tag: str, attrs) -> None:
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
        elif tag in ("ul", "ol"):
            self._flush()
            self.lists.append(tag)
            self.numbers.append(0)
        elif tag == "br":
            self._flush()

    def handle_endtag(self, tag: str) -> None:
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
        if data.strip() and not self.bold:
            self.plain = True
        self.current.append(data)


def paragraphs(html: str) -> list[str]:
    """The report's paragraphs of cleaned ``html``: a list item reads "- …" (or "1. …")."""
    parser = _Paragraphs()
    parser.feed(clean(html))
    parser.close()
    parser._flush()
    return parser.out


def parts(html: str) -> list[tuple[str, list[str]]]:
    """Cleaned ``html`` as the report's parts: a paragraph all in bold opens a part under
    that heading ("2. Hạ tầng số"); the paragraphs after it belong to it."""
    parser = _Paragraphs()
    parser.feed(clean(html))
    parser.close()
    parser._flush()
    found: list[tuple[str, list[str]]] = []
    for text, heading in zip(parser.out, parser.headings, strict=True):
        if heading:
            found.append((text, []))
        elif found:
            found[-1][1].append(text)
        else:
            found.append(("", [text]))
    return found


def as_html(lines: list[str], heading: str = "") -> str:
    """Report paragraphs as the editor's HTML: "- …" lines become a bulleted list; a
    heading, a paragraph in bold."""
    out: list[str] = [f"<p><strong>{escape(heading)}</strong></p>"] if heading else []
    in_list = False
    for line in lines:
        if line.startswith("- "):
            if not in_list:
                out.append("<ul>")
                in_list = True
            out.append(f"<li>{escape(line[2:])}</li>")
            continue
        if in_list:
            out.append("</ul>")
            in_list = False
        out.append(f"<p>{escape(line)}</p>")
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
