"""Sign-in throttling (django-axes): repeated wrong passwords lock that account from that
address for a while, the sign-in page says until when in Vietnamese, the administrator sees
every failure, and nobody else is locked out with it.

Through Django's test client and the real sign-in page, on the test database holding the
demo accounts."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

OFFICE = "203.0.113.7"
HOME = "198.51.100.20"
NGINX = "127.0.0.1"


def password(username: str) -> str:
    return username.replace(".", "-") + "-2026"


def sign_in(client: Client, username: str, secret: str, path: str | None = None):
    return client.post(
        path or reverse("web:login"),
        {"username": username, "password": secret, "next": reverse("web:dashboard")},
    )


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def fail(client: Client, username: str, times: int, path: str | None = None) -> None:
    for attempt in range(times):
        sign_in(client, username, f"sai-{attempt}", path)


def attempts():
    from axes.models import AccessAttempt  # not at import: the suite then reports each test

    return AccessAttempt.objects


def local_hhmm(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%H:%M")


def test_thirty_wrong_passwords_then_the_right_one_does_not_sign_in(dataset):
    client = Client(REMOTE_ADDR=OFFICE)
    fail(client, "vhxh.baocao", 30)
    before = timezone.now()
    response = sign_in(client, "vhxh.baocao", password("vhxh.baocao"))
    after = timezone.now()

    assert not signed_in(client)
    assert client.get(reverse("web:dashboard")).status_code == 302
    assert response.status_code == 429
    page = response.content.decode()
    assert "Tài khoản tạm khóa do đăng nhập sai nhiều lần." in page
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    # Locked until a cool-off after this last attempt, told in the site's time zone.
    possible = {
        f"Hãy thử lại sau {minutes} phút (lúc {local_hhmm(moment + settings.AXES_COOLOFF_TIME)})."
        for moment in (before, after)
    }
    assert any(text in page for text in possible), page
    # The form is there again, with the account name kept.
    assert 'name="password"' in page and 'value="vhxh.baocao"' in page


def test_fewer_failures_than_the_limit_do_not_lock(dataset):
    client = Client(REMOTE_ADDR=OFFICE)
    fail(client, "vhxh.baocao", settings.AXES_FAILURE_LIMIT - 1)
    response = sign_in(client, "vhxh.baocao", password("vhxh.baocao"))
    assert response.status_code == 302 and signed_in(client)
    # A success forgets the earlier failures.
    assert not attempts().filter(username="vhxh.baocao").exists()


def test_the_lock_holds_that_account_from_that_address_only(dataset):
    fail(Client(REMOTE_ADDR=OFFICE), "vhxh.baocao", settings.AXES_FAILURE_LIMIT)

    colleague = Client(REMOTE_ADDR=OFFICE)
    assert sign_in(colleague, "kiemtra", password("kiemtra")).status_code == 302
    assert signed_in(colleague)

    elsewhere = Client(REMOTE_ADDR=HOME)
    assert sign_in(elsewhere, "vhxh.baocao", password("vhxh.baocao")).status_code == 302
    assert signed_in(elsewhere)

    again = Client(REMOTE_ADDR=OFFICE)
    assert sign_in(again, "vhxh.baocao", password("vhxh.baocao")).status_code == 429
    assert not signed_in(again)


def test_failures_are_recorded_and_shown_to_the_administrator(dataset, admin_client):
    fail(Client(REMOTE_ADDR=OFFICE), "vhxh.baocao", 7)

    attempt = attempts().get(username="vhxh.baocao")
    assert attempt.ip_address == OFFICE and attempt.failures_since_start == 7
    from axes.models import AccessFailureLog

    failures = AccessFailureLog.objects.filter(username="vhxh.baocao", ip_address=OFFICE)
    assert failures.count() == 7
    assert failures.filter(locked_out=True).count() == 7 - settings.AXES_FAILURE_LIMIT + 1

    attempts_page = admin_client.get("/admin/axes/accessattempt/")
    assert attempts_page.status_code == 200
    assert "vhxh.baocao" in attempts_page.content.decode()
    failures_page = admin_client.get("/admin/axes/accessfailurelog/")
    assert failures_page.status_code == 200 and OFFICE in failures_page.content.decode()


def test_the_account_signs_in_again_after_the_cool_off(dataset):
    cool_off = dt.timedelta(seconds=2)
    with override_settings(AXES_COOLOFF_TIME=cool_off):
        client = Client(REMOTE_ADDR=OFFICE)
        fail(client, "vhxh.baocao", settings.AXES_FAILURE_LIMIT)
        assert sign_in(client, "vhxh.baocao", password("vhxh.baocao")).status_code == 429
        time.sleep(cool_off.total_seconds() + 0.5)
        response = sign_in(client, "vhxh.baocao", password("vhxh.baocao"))
    assert response.status_code == 302 and signed_in(client)


def test_the_admin_sign_in_is_throttled_too(dataset):
    client = Client(REMOTE_ADDR=OFFICE)
    fail(client, "quantri", settings.AXES_FAILURE_LIMIT, path="/admin/login/")
    response = sign_in(client, "quantri", "quantri-cathai-2026", path="/admin/login/")
    assert response.status_code == 429 and not signed_in(client)
    assert "Tài khoản tạm khóa do đăng nhập sai nhiều lần." in response.content.decode()


@override_settings(BEHIND_PROXY=True)
def test_behind_the_proxy_each_client_is_the_address_nginx_appended(dataset):
    def through_nginx(forwarded_for: str) -> Client:
        return Client(REMOTE_ADDR=NGINX, HTTP_X_FORWARDED_FOR=forwarded_for)

    fail(through_nginx(OFFICE), "vhxh.baocao", settings.AXES_FAILURE_LIMIT)
    assert attempts().get(username="vhxh.baocao").ip_address == OFFICE

    # Another person behind the same nginx is another address.
    other = through_nginx(HOME)
    assert sign_in(other, "vhxh.baocao", password("vhxh.baocao")).status_code == 302
    # Claiming another address in front of the one nginx appended changes nothing.
    spoofing = through_nginx(f"{HOME}, {OFFICE}")
    assert sign_in(spoofing, "vhxh.baocao", password("vhxh.baocao")).status_code == 429
    assert not signed_in(spoofing)


@pytest.mark.parametrize("forwarded_for", [HOME, f"{HOME}, {OFFICE}"])
def test_without_the_proxy_a_forwarded_address_is_not_believed(dataset, forwarded_for):
    assert not settings.BEHIND_PROXY
    fail(Client(REMOTE_ADDR=OFFICE), "vhxh.baocao", settings.AXES_FAILURE_LIMIT)
    claiming = Client(REMOTE_ADDR=OFFICE, HTTP_X_FORWARDED_FOR=forwarded_for)
    assert sign_in(claiming, "vhxh.baocao", password("vhxh.baocao")).status_code == 429
    assert not signed_in(claiming)
