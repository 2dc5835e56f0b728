"""The ``theodoi`` command line, on top of everything: nothing else imports it.

:mod:`.main` builds the parser from the command groups (one module each: :mod:`.data`,
:mod:`.plans`, :mod:`.reports`, :mod:`.progress`, :mod:`.excel`, :mod:`.exchange`,
:mod:`.archive`, :mod:`.review`, :mod:`.search`, :mod:`.generate`, :mod:`.bench`);
:mod:`.common` holds the error type and the reading of arguments they share.
"""

from theodoi.cli.main import build_parser, main

__all__ = ["build_parser", "main"]
