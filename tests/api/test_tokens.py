"""Token authentication: only a valid, unrevoked token of an active user gets in; the secret
is shown once and never stored; the admin and the command create tokens."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.api.helpers import Q1, VHXH, error
from theodoi.api.models import ApiToken
from theodoi.api.services import api_token_create, api_token_revoke

# Every endpoint, as (method, address); ids and codes need not exist: authentication comes
# before anything else is looked at.
ENDPOINTS = [
    ("get", "/api/units"),
    ("get", f"/api/units/{VHXH}"),
    ("get", "/api/documents"),
    ("get", "/api/documents/1"),
    ("get", "/api/plans"),
    ("get", "/api/plans/1"),
    ("get", "/api/plans/1/tasks"),
    ("get", "/api/tasks/1"),
    ("get", "/api/plans/1/indicators"),
    ("get", "/api/plans/1/summary"),
    ("get", "/api/periods"),
    ("get", f"/api/units/{VHXH}/periods/{Q1}/task-updates"),
    ("get", f"/api/units/{VHXH}/periods/{Q1}/data-values"),
    ("put", f"/api/units/{VHXH}/periods/{Q1}/tasks/1/update"),
    ("put", f"/api/units/{VHXH}/periods/{Q1}/data-values"),
    ("post", f"/api/units/{VHXH}/periods/{Q1}/submit"),
    ("get", "/api/submissions"),
    ("get", "/api/submissions/1"),
    ("post", "/api/submissions/1/accept"),
    ("post", "/api/submissions/1/return"),
    ("post", "/api/submissions/1/approve"),
    ("post", "/api/submissions/1/unlock"),
    ("get", "/api/evidence/1"),
    ("get", "/api/reports"),
    ("get", "/api/reports/1/files/docx"),
]


def call(client: Client, method: str, path: str):
    return getattr(client, method)(path, {}, content_type="application/json")


def test_every_endpoint_is_listed_here(client):
    documented = client.get("/api/openapi.json").json()["paths"]
    operations = {
        (method, re.sub(r"\{[^}]+\}", "{}", path))
        for path, methods in documented.items()
        for method in methods
    }
    samples = {
        (method, re.sub(r"/(\d+|CATHAI-VHXH|2026-Q1|docx)(?=/|$)", "/{}", path))
        for method, path in ENDPOINTS
    }
    assert operations == samples


@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
def test_without_a_token_is_401_in_vietnamese(dataset, method, path):
    body = error(call(Client(), method, path), 401, "khong_xac_thuc")
    assert body["message"] == "Thiếu hoặc sai mã truy cập (token)."


@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
def test_a_wrong_token_is_401(dataset, method, path):
    client = Client(headers={"authorization": "Bearer khong-phai-ma-that"})
    response = call(client, method, path)
    error(response, 401, "khong_xac_thuc")
    assert response["WWW-Authenticate"] == "Bearer"


def test_only_the_hash_is_stored_and_last_use_is_noted(dataset):
    user = get_user_model().objects.get(username="kiemtra")
    token, secret = api_token_create(user=user, name="Đồng bộ")
    assert len(secret) >= 40 and token.prefix == secret[:8]
    assert token.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert not ApiToken.objects.filter(key_hash__contains=secret).exists()
    assert token.last_used_at is None
    response = Client(headers={"authorization": f"Bearer {secret}"}).get("/api/units")
    assert response.status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None
    assert token.history.count() == 1  # noting the use writes no history row
    # at most once a minute: reads in a burst write nothing
    first = token.last_used_at
    client = Client(headers={"authorization": f"Bearer {secret}"})
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/api/units").status_code == 200
    assert not [q for q in queries if "UPDATE" in q["sql"] and "api_apitoken" in q["sql"]]
    token.refresh_from_db()
    assert token.last_used_at == first
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - dt.timedelta(minutes=2))
    client.get("/api/units")
    token.refresh_from_db()
    assert token.last_used_at > first


def test_revoked_token_and_inactive_user_are_refused(dataset):
    user = get_user_model().objects.get(username="kiemtra")
    token, secret = api_token_create(user=user, name="Cũ")
    client = Client(headers={"authorization": f"Bearer {secret}"})
    assert client.get("/api/units").status_code == 200
    api_token_revoke(token=token)
    error(client.get("/api/units"), 401, "khong_xac_thuc")
    assert token.history.first().history_change_reason == "Thu hồi mã truy cập API"
    _, other_secret = api_token_create(user=user, name="Mới")
    user.is_active = False
    user.save()
    other = Client(headers={"authorization": f"Bearer {other_secret}"})
    error(other.get("/api/units"), 401, "khong_xac_thuc")


def test_a_token_acts_as_its_user_only(dataset):
    reporter = get_user_model().objects.get(username="vhxh.baocao")
    _, secret = api_token_create(user=reporter, name="Báo cáo")
    units = Client(headers={"authorization": f"Bearer {secret}"}).get("/api/units").json()
    assert [u["code"] for u in units["items"]] == [VHXH]


def test_signed_in_browser_may_call_the_api_but_writes_need_the_csrf_token(dataset):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(get_user_model().objects.get(username="vhxh.baocao"))
    assert browser.get("/api/units").status_code == 200
    path = f"/api/units/{VHXH}/periods/{Q1}/data-values"
    response = browser.put(path, {"values": []}, content_type="application/json")
    body = error(response, 403, "khong_co_quyen")
    assert "CSRF" in body["message"]


def test_command_creates_lists_and_revokes_a_token(dataset):
    out = StringIO()
    call_command("api_token", "create", "lanhdao", "--name", "Bảng tin", stdout=out)
    text = out.getvalue()
    assert "Đã tạo mã truy cập “Bảng tin” cho lanhdao" in text
    secret = text.splitlines()[2]
    client = Client(headers={"authorization": f"Bearer {secret}"})
    assert client.get("/api/plans").status_code == 200
    out = StringIO()
    call_command("api_token", "list", "lanhdao", stdout=out)
    assert f"{secret[:8]}…" in out.getvalue() and "đang dùng" in out.getvalue()
    call_command("api_token", "revoke", secret[:8], stdout=StringIO())
    error(client.get("/api/plans"), 401, "khong_xac_thuc")


def test_a_secret_never_starts_with_a_dash_so_its_prefix_can_be_typed(dataset, monkeypatch):
    drawn = iter(["-starts-like-an-option", "Abc-def_ghi"])
    monkeypatch.setattr("theodoi.api.services.secrets.token_urlsafe", lambda n: next(drawn))
    out = StringIO()
    call_command("api_token", "create", "lanhdao", "--name", "Bảng tin", stdout=out)
    assert out.getvalue().splitlines()[2] == "Abc-def_ghi"
    call_command("api_token", "revoke", "Abc-def_", stdout=StringIO())
    assert ApiToken.objects.get(prefix="Abc-def_").is_revoked


def test_command_revokes_an_older_token_whose_prefix_starts_with_a_dash(dataset):
    user = get_user_model().objects.get(username="lanhdao")
    ApiToken.objects.create(user=user, name="Cũ", key_hash="x" * 64, prefix="-Ab12345")
    out = StringIO()
    call_command("api_token", "revoke", "--", "-Ab12345", stdout=out)
    assert "Đã thu hồi mã truy cập “Cũ”" in out.getvalue()
    assert ApiToken.objects.get(prefix="-Ab12345").is_revoked


def test_command_refuses_an_unknown_user_in_vietnamese(dataset):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Không có người dùng “khong-co”"):
        call_command("api_token", "create", "khong-co", "--name", "x")


def test_admin_shows_the_new_secret_once(dataset, admin_client):
    user = get_user_model().objects.get(username="kiemtra")
    response = admin_client.post(
        "/admin/api/apitoken/add/",
        {"user": user.id, "name": "Đoàn kiểm tra", "ly_do_thay_doi": "Đoàn kiểm tra quý IV"},
        follow=True,
    )
    assert response.status_code == 200
    messages = [str(m) for m in response.context["messages"]]
    secret = re.search(r"Mã truy cập của “Đoàn kiểm tra”: (\S+) —", " ".join(messages))[1]
    token = ApiToken.objects.get(name="Đoàn kiểm tra")
    assert token.user == user and token.prefix == secret[:8]
    client = Client(headers={"authorization": f"Bearer {secret}"})
    assert client.get("/api/units").status_code == 200
    change = admin_client.get(f"/admin/api/apitoken/{token.id}/change/").content.decode()
    assert secret not in change
    listing = admin_client.get("/admin/api/apitoken/").content.decode()
    assert token.prefix in listing and secret not in listing
    admin_client.post(
        "/admin/api/apitoken/",
        {"action": "revoke", "_selected_action": [token.id]},
    )
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_docs_page_works_offline(client):
    page = client.get("/api/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets and all(a.startswith("/static/") for a in assets), assets
    # no CDN host anywhere (a random CSRF token may hold the letters "cdn": a host has a dot)
    assert not re.search(r"cdn[\w-]*\.", html.lower()) and "https://" not in html
    for asset in assets:
        response = client.get(asset)
        assert response.status_code == 200, asset
    schema = client.get("/api/openapi.json").json()
    assert schema["info"]["title"] == "theodoi API"
    assert schema["components"]["securitySchemes"]["TokenAuth"]["scheme"] == "bearer"


def test_unknown_api_address_is_a_json_404(coordinator):
    body = error(coordinator.get("/api/khong-co/dia-chi-nay"), 404, "khong_tim_thay")
    assert "/api/docs/" in body["message"]
