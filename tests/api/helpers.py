"""Helpers the API tests share: the demo's unit codes, token clients, the error shape."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.test import Client

from theodoi.api.services import api_token_create

Q1 = "2026-Q1"
VHXH = "CATHAI-VHXH"
TTHCC = "CATHAI-TTHCC"
OTHER = "CATHAI-KT"  # Phòng Kinh tế, a sibling of Phòng VHXH that leads tasks


def api_client(username: str) -> Client:
    """A client sending a fresh token of ``username`` with every request."""
    user = get_user_model().objects.get(username=username)
    _, secret = api_token_create(user=user, name="kiểm thử")
    return Client(headers={"authorization": f"Bearer {secret}"})


def error(response, status: int, code: str) -> dict:
    """The error body, after checking the status, the shape and the stable code."""
    assert response.status_code == status, response.content.decode()[:1000]
    body = response.json()
    assert set(body) == {"code", "message", "details"}, body
    assert body["code"] == code, body
    assert body["message"], body
    return body
