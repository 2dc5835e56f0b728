"""Only the icons the interface uses: a subset of the Bootstrap Icons font.

The full font is 134 KB, half of a first visit's bytes on an office's slow line; the interface
uses a few dozen of its 2,000 icons. ``theodoi static-compress`` (run by ``make setup`` after
``npm ci``) finds the ``bi-…`` names in the project's templates, Python and scripts, and writes
beside the npm package a font holding only those glyphs and a style sheet naming only them;
the app serves that in place of the package's (``settings.STATICFILES_DIRS``). An icon added to
a template shows once set-up runs again (the test suite checks the subset is current).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

ICON = re.compile(r"\bbi-([a-z0-9]+(?:-[a-z0-9]+)*)")
PACKAGE = "bootstrap-icons/font"  # the npm package's font directory, under node_modules
SOURCES = ("*.html", "*.py", "*.js")
STYLE = "bootstrap-icons.min.css"
FONT = "fonts/bootstrap-icons.woff2"


def icons_used(source: Path, known: set[str]) -> set[str]:
    """The icon names (without ``bi-``) written in the files under ``source`` that are icons
    of the font (``known``)."""
    found: set[str] = set()
    for pattern in SOURCES:
        for path in source.rglob(pattern):
            found |= set(ICON.findall(path.read_text(encoding="utf-8", errors="ignore")))
    return found & known


def codepoints(package: Path) -> dict[str, int]:
    """Every icon of the npm package (its ``font`` directory) and its code point."""
    return json.loads((package / "bootstrap-icons.json").read_text(encoding="utf-8"))


def build_subset(package: Path, out: Path, names: set[str]) -> None:
    """Write into ``out`` the font with only the glyphs of ``names`` and its style sheet."""
    import logging

    from fontTools import subset

    logging.getLogger("fontTools").setLevel(logging.ERROR)  # the package's font has a
    # harmless quirk fontTools reports on every run ("extra bytes in post.stringData")
    points = codepoints(package)
    (out / "fonts").mkdir(parents=True, exist_ok=True)
    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = []
    options.name_IDs = ["*"]  # the licence and the font's name stay
    font = subset.load_font(str(package / "fonts" / "bootstrap-icons.woff2"), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[points[name] for name in sorted(names)])
    subsetter.subset(font)
    subset.save_font(font, str(out / FONT), options)
    css = (package / "bootstrap-icons.css").read_text(encoding="utf-8")
    header = css[: css.index("*/") + 2]
    base = re.search(r"\.bi::before,[^{]*\{[^}]*\}", css)
    assert base is not None, "the package's style sheet changed its layout"
    compact = re.sub(r"\s+", " ", base.group(0))
    rules = "".join(f'.bi-{name}::before{{content:"\\{points[name]:x}"}}' for name in sorted(names))
    (out / STYLE).write_text(
        f"{header}\n"
        '@font-face{font-display:block;font-family:"bootstrap-icons";'
        f'src:url("./{FONT}") format("woff2")}}'
        f"{compact}{rules}\n",
        encoding="utf-8",
    )


def subset_names(out: Path) -> set[str]:
    """The icons a built subset's style sheet names."""
    return set(re.findall(r"\.bi-([a-z0-9-]+)::before", (out / STYLE).read_text(encoding="utf-8")))
