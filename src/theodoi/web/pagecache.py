"""Whole pages kept for the person who asked for them, keyed by everything they show.

A page is served from the cache only to the same account, at the same address, on the same
day, with the same roles, the same counts in the menu and the same stamps of the units it
shows (``progress/freshness.py``: the database sets a new one on every write that changes
them) — never because a clock says it is recent enough. The form token (CSRF) of the page
that was kept is replaced by the asker's own. Pages with a message waiting are made afresh.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token

import theodoi

# only bounds the memory of pages no one asks for again: the key changes with the data
SECONDS = 3600
_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def page_key(request: HttpRequest, name: str, *parts: Any) -> str | None:
    """The key of the page ``name`` for this request and ``parts`` (what else it shows), or
    None when it must be made afresh (a message is waiting to be shown)."""
    if len(get_messages(request)):
        return None
    user = request.user
    described = repr(
        (
            theodoi.__version__,
            name,
            request.get_full_path(),
            user.pk,
            user.get_username(),
            user.get_full_name(),
            user.is_staff,
            user.is_superuser,
            *parts,
        )
    )
    return f"page:{name}:{hashlib.sha256(described.encode()).hexdigest()}"


def page_get(request: HttpRequest, key: str) -> tuple[HttpResponse, Any] | None:
    """The kept page with the asker's form token, and what was kept beside it."""
    found = cache.get(key)
    if found is None:
        return None
    html, token, extra = found
    if token:
        html = html.replace(token, get_token(request))
    return HttpResponse(html), extra


def page_keep(key: str, response: HttpResponse, extra: Any = None) -> None:
    if response.status_code != 200 or response.streaming:
        return
    html = response.content.decode()
    token = _TOKEN.search(html)
    cache.set(key, (html, token.group(1) if token else "", extra), SECONDS)
