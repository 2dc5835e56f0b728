"""The dashboard is kept whole for the person who asked and served again only while nothing
it shows has changed: a write through any path (here the ORM's bulk ``update()``, which no
signal sees) makes it again at once; nobody else is ever served someone's page; the form
token is the asker's own; a waiting message is shown, not a kept page."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from theodoi.notify.models import Kind, Notification
from theodoi.orgs.models import Membership, OrgUnit, Role
from theodoi.plans.models import Plan, Task
from theodoi.progress.models import Explanation, Submission, UpdateState

pytestmark = pytest.mark.django_db(transaction=False)

QUERY = {"don-vi": "CATHAI", "ky": "2026-Q1"}
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _leader():
    from tests.web.test_views import login

    return login("lanhdao")


def _page(client):
    response = client.get(reverse("web:dashboard"), QUERY)
    assert response.status_code == 200
    return response


def _without_tokens(response) -> str:
    html = response.content.decode()
    for token in set(TOKEN.findall(html)):
        html = html.replace(token, "TOKEN")
    return html


def test_the_second_visit_is_the_kept_page_with_the_askers_own_token(dataset):
    leader = _leader()
    first = _page(leader)
    assert first.context is not None  # made
    second = _page(leader)
    assert second.context is None  # kept
    assert _without_tokens(second) == _without_tokens(first)
    token = TOKEN.search(second.content.decode()).group(1)
    assert token != TOKEN.search(first.content.decode()).group(1)
    # the token in the kept page is good for this person's own forms (signing out)
    leader.handler.enforce_csrf_checks = True
    assert leader.post(reverse("web:logout"), {"csrfmiddlewaretoken": "x" * 64}).status_code == 403
    assert leader.post(reverse("web:logout"), {"csrfmiddlewaretoken": token}).status_code == 302


def _notify(user):
    Notification.objects.create(recipient=user, kind=Kind.REMINDER, title="Nhắc thử")


def _deadline_passed(user):
    from tests.progress.test_freshness import _open_task

    task = _open_task(Plan.objects.get(document__symbol="96/KH-UBND"))
    Task.objects.filter(pk=task.pk).update(
        deadline_kind="date", deadline_date=dt.date(2026, 1, 20), deadline_text="20/01/2026"
    )


def _unit_renamed(user):
    unit = OrgUnit.objects.filter(path__startswith="/VN/HP/CATHAI/").exclude(code="CATHAI")
    OrgUnit.objects.filter(pk=unit.first().pk).update(name="Phòng Đổi Tên Thử")


def _report_waiting(user):
    submission = Submission.objects.filter(org_unit__path__startswith="/VN/HP/CATHAI/").first()
    if submission is None:
        pytest.skip("no report in the zone")
    Submission.objects.filter(pk=submission.pk).update(state=UpdateState.ACCEPTED)


def _explanation_asked(user):
    from theodoi.progress.models import Period

    Explanation.objects.create(
        org_unit=OrgUnit.objects.get(code="CATHAI"),
        period=Period.objects.get(code="2026-Q1"),
        task=Task.objects.filter(plan__document__symbol="96/KH-UBND").first(),
        reason="Quá hạn (thử)",
    )


def _role_added(user):
    Membership.objects.create(
        user=user, org_unit=OrgUnit.objects.get(code="CATHAI"), role=Role.COORDINATOR
    )


@pytest.mark.parametrize(
    "change",
    [
        _notify,
        _deadline_passed,
        _unit_renamed,
        _report_waiting,
        _explanation_asked,
        _role_added,
    ],
)
def test_a_change_the_page_shows_makes_it_again(dataset, change, django_user_model):
    leader = _leader()
    _page(leader)
    kept = _page(leader)
    assert kept.context is None
    change(django_user_model.objects.get(username="lanhdao"))
    again = _page(leader)
    assert again.context is not None
    assert _without_tokens(again) != _without_tokens(kept)
    # and made again, it is kept again
    assert _page(leader).context is None


def _unit_reported(user):
    from theodoi.progress.models import Period

    Submission.objects.create(
        org_unit=OrgUnit.objects.get(code="CATHAI-VHXH"),
        period=Period.objects.get(code="2026-Q1"),
        state=UpdateState.SUBMITTED,
    )


def _symbol_corrected(user):
    from theodoi.documents.models import Document

    plan = Plan.objects.get(document__symbol="96/KH-UBND")
    Document.objects.filter(pk=plan.document_id).update(symbol="97/KH-UBND")


@pytest.mark.parametrize("change", [_unit_reported, _unit_renamed, _symbol_corrected])
def test_made_again_the_page_is_what_an_empty_cache_would_make(dataset, change, django_user_model):
    """The plan part is kept apart too, shared by everyone who sees the plan: a change that
    leaves the plan's counts as they were (a unit reporting, a unit renamed, the plan's symbol
    corrected) must not bring its old plan part back into the page made again."""
    from django.core.cache import cache

    leader = _leader()
    _page(leader)
    assert _page(leader).context is None
    change(django_user_model.objects.get(username="lanhdao"))
    served = _without_tokens(_page(leader))
    cache.clear()
    assert served == _without_tokens(_page(leader))


def test_nobody_is_served_another_persons_page(dataset, django_user_model):
    from tests.web.test_views import login

    leader = _leader()
    _page(leader)
    other = django_user_model.objects.create_user("lanhdao.thu", password="lanhdao-thu-2026")
    Membership.objects.create(
        user=other, org_unit=OrgUnit.objects.get(code="CATHAI"), role=Role.LEADER
    )
    page = _page(login("lanhdao.thu"))
    assert page.context is not None
    assert "lanhdao.thu" in page.content.decode()


def test_a_waiting_message_is_shown_not_the_kept_page(dataset):
    from django.contrib.messages import constants
    from django.contrib.messages.storage.base import Message
    from django.contrib.messages.storage.cookie import CookieStorage
    from django.http import HttpRequest

    leader = _leader()
    _page(leader)
    assert _page(leader).context is None
    storage = CookieStorage(HttpRequest())
    leader.cookies["messages"] = storage._encode([Message(constants.SUCCESS, "Đã lưu thử.")])
    shown = _page(leader)
    assert shown.context is not None and "Đã lưu thử." in shown.content.decode()
