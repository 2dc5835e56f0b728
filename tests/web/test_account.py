"""A person's own account: name, position, phone and e-mail (kept in history, shown in the
late list), and changing the password."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from tests.web.test_views import login
from theodoi.orgs.models import Profile

pytestmark = pytest.mark.django_db


def test_profile_is_ones_own_checked_and_shown_to_whoever_chases_the_late(dataset):
    client = login("tthcc.baocao")
    url = reverse("web:account")
    bad = client.post(
        url,
        {"viec": "ho-so", "ho-ten": "Nguyễn Thị Lan", "dien-thoai": "abc", "thu": "lan@"},
    )
    assert bad.status_code == 200
    page = bad.content.decode()
    assert "Số điện thoại chỉ gồm chữ số" in page and "không đúng cách viết" in page
    assert not Profile.objects.filter(user__username="tthcc.baocao").exists()  # nothing half saved
    client.post(
        url,
        {
            "viec": "ho-so",
            "ho-ten": "Nguyễn Thị Lan",
            "chuc-vu": "Chuyên viên",
            "dien-thoai": "0225 3888 123",
            "thu": "Lan@CatHai.gov.vn",
        },
    )
    user = get_user_model().objects.get(username="tthcc.baocao")
    assert user.get_full_name() == "Nguyễn Thị Lan" and user.email == "lan@cathai.gov.vn"
    assert user.profile.phone == "0225 3888 123"
    assert user.profile.history.first().history_user == user
    late = login("vhxh.tonghop").get(reverse("web:late_list"), {"ky": "2026-Q1"}).content.decode()
    assert "Nguyễn Thị Lan, Chuyên viên" in late
    assert "tel:0225 3888 123" in late


def test_password_change_asks_for_the_old_one_and_keeps_one_signed_in(dataset):
    client = login("tthcc.baocao")
    url = reverse("web:account")
    wrong = client.post(
        url,
        {
            "viec": "mat-khau",
            "old_password": "sai",
            "new_password1": "Cat-Hai-2027!x",
            "new_password2": "Cat-Hai-2027!x",
        },
    )
    assert wrong.status_code == 200 and "is-invalid" in wrong.content.decode()
    changed = client.post(
        url,
        {
            "viec": "mat-khau",
            "old_password": "tthcc-baocao-2026",
            "new_password1": "Cat-Hai-2027!x",
            "new_password2": "Cat-Hai-2027!x",
        },
    )
    assert changed.status_code == 302
    assert client.get(reverse("web:my_work")).status_code == 200  # still signed in
    assert get_user_model().objects.get(username="tthcc.baocao").check_password("Cat-Hai-2027!x")


def test_the_leaders_names_from_their_profiles_are_offered_as_signers(dataset):
    leader = login("lanhdao")
    leader.post(
        reverse("web:account"),
        {"viec": "ho-so", "ho-ten": "Trần Văn Hùng", "chuc-vu": "Phó Chủ tịch UBND đặc khu"},
    )
    page = login("vhxh.tonghop").get(reverse("web:reports"), {"ky": "2026-Q1", "lap": "1"})
    assert "Trần Văn Hùng" in page.context["signers"]
    assert '<option value="Trần Văn Hùng">' in page.content.decode()
