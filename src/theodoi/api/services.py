"""Creating and revoking API tokens, and finding the user a presented secret stands for."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone

from theodoi.api.models import ApiToken
from theodoi.history import save_tracked


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def new_secret() -> str:
    """A random secret whose first character is not "-": its first eight characters are the
    prefix an administrator types to revoke it, and a command line reads "-…" as an option."""
    while (secret := secrets.token_urlsafe(32)).startswith("-"):
        pass
    return secret


@transaction.atomic
def api_token_create(*, user: Any, name: str, by: Any | None = None) -> tuple[ApiToken, str]:
    """A new token for ``user``; returns it with its secret, which is not stored and cannot
    be shown again. ``by`` is who created it (an administrator), default the user."""
    secret = new_secret()
    token = ApiToken(user=user, name=name, key_hash=secret_hash(secret), prefix=secret[:8])
    save_tracked(token, user=by or user, reason="Tạo mã truy cập API")
    return token, secret


@transaction.atomic
def api_token_revoke(*, token: ApiToken, by: Any | None = None) -> ApiToken:
    """Revoke ``token`` for good; calls presenting it are refused from now on."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        save_tracked(token, user=by or token.user, reason="Thu hồi mã truy cập API")
    return token


def api_token_user(*, secret: str) -> Any | None:
    """The active user a secret belongs to, if the token exists and is not revoked."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=secret_hash(secret), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    # A plain UPDATE, at most once a minute: noting the last use is not a change worth a
    # history row, nor a write on every read.
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USE_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


LAST_USE_EVERY = dt.timedelta(minutes=1)
