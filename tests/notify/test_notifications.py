"""People are told: the workflow's steps reach the right people in the app's inbox and, by a
real SMTP server started here (aiosmtpd), by e-mail as each person chose — never to a domain
outside the configured list; reminders before and after the due day, each once."""

from __future__ import annotations

import datetime as dt
import socket
from email import message_from_bytes
from email.header import decode_header, make_header

import pytest
from aiosmtpd.controller import Controller
from django.contrib.auth import get_user_model
from django.urls import reverse

from tests.web.test_views import login
from theodoi.cli import main
from theodoi.notify.models import Kind, MailState, Notification
from theodoi.notify.services import mail_digest, mail_pending, preference_save
from theodoi.orgs.models import OrgUnit
from theodoi.progress.models import Period, Submission
from theodoi.progress.selectors.entry import entry_rows
from theodoi.progress.selectors.work import work_for
from theodoi.progress.services.reminders import remind
from theodoi.progress.services.submissions import (
    submission_approve,
    submission_review,
    submission_submit,
)
from theodoi.progress.services.updates import task_update_save

pytestmark = pytest.mark.django_db
Q1 = "2026-Q1"


class Inbox:
    def __init__(self) -> None:
        self.messages: list = []

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.content)
        self.messages.append((envelope.rcpt_tos, message))
        return "250 OK"

    def subjects(self) -> list[str]:
        return [str(make_header(decode_header(m["Subject"]))) for _, m in self.messages]


@pytest.fixture
def smtp(settings):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.THEODOI_MAIL_DOMAINS = ["cathai.gov.vn"]
    settings.THEODOI_MAIL_ANY_DOMAIN = False
    yield inbox
    controller.stop()


def _user(name, email=None):
    user = get_user_model().objects.get(username=name)
    if email is not None:
        user.email = email
        user.save(update_fields=["email"])
    return user


def _submit_tthcc():
    unit = OrgUnit.objects.get(code="CATHAI-TTHCC")
    period = Period.objects.get(code=Q1)
    reporter = _user("tthcc.baocao")
    for row in entry_rows(unit=unit, period=period, user=reporter):
        if row.update is None:
            task_update_save(
                task=row.task,
                period=period,
                user=reporter,
                values={"reported_state": "in_progress", "progress_percent": 50, "results": "x"},
            )
    return submission_submit(unit=unit, period=period, user=reporter)


def test_each_step_tells_the_right_people_in_the_app_and_by_mail(dataset, smtp):
    reporter = _user("tthcc.baocao", "baocao.tthcc@cathai.gov.vn")
    coordinator = _user("vhxh.tonghop", "tonghop@cathai.gov.vn")
    leader = _user("lanhdao", "lanhdao@gmail.com")  # outside the allowed domains
    submission = _submit_tthcc()
    waiting = Notification.objects.get(recipient=coordinator, kind=Kind.SUBMITTED)
    assert waiting.title == (
        "Trung tâm Phục vụ hành chính công đã gửi báo cáo tiến độ quý I năm 2026: chờ tiếp nhận"
    )
    assert not Notification.objects.filter(recipient=reporter, kind=Kind.SUBMITTED).exists()
    submission_review(
        submission=submission, user=coordinator, accept=False, comment="Thiếu số liệu"
    )
    returned = Notification.objects.get(recipient=reporter, kind=Kind.RETURNED)
    assert "Thiếu số liệu" in returned.body and returned.link.endswith(f"/{Q1}/")
    assert mail_pending() == 2
    assert sorted(r for to, _ in smtp.messages for r in to) == [
        "baocao.tthcc@cathai.gov.vn",
        "tonghop@cathai.gov.vn",
    ]
    mail = next(m for to, m in smtp.messages if to == ["baocao.tthcc@cathai.gov.vn"])
    assert "bị trả lại" in str(make_header(decode_header(mail["Subject"])))
    assert "Thiếu số liệu" in mail.get_payload(decode=True).decode()
    # resubmitted, accepted: the leader is told it waits for approval, but gets no mail
    submission = _submit_tthcc()
    submission_review(submission=submission, user=coordinator, accept=True)
    asked = Notification.objects.get(recipient=leader, kind=Kind.ACCEPTED)
    assert asked.title.startswith("Chờ phê duyệt")
    mail_pending()
    asked.refresh_from_db()
    assert asked.mail_state == MailState.NONE and "gmail.com" in asked.mail_note
    assert all("lanhdao@gmail.com" not in to for to, _ in smtp.messages)
    submission_approve(submission=Submission.objects.get(pk=submission.pk), user=leader)
    assert Notification.objects.filter(recipient=reporter, kind=Kind.APPROVED).exists()


def test_each_person_chooses_and_a_digest_is_one_mail(dataset, smtp):
    reporter = _user("tthcc.baocao", "baocao.tthcc@cathai.gov.vn")
    coordinator = _user("vhxh.tonghop", "tonghop@cathai.gov.vn")
    preference_save(user=coordinator, email=True, digest=False, muted=[Kind.SUBMITTED])
    preference_save(user=reporter, email=True, digest=True, muted=[])
    submission = _submit_tthcc()
    submission_review(submission=submission, user=coordinator, accept=False, comment="Sửa lại")
    submission = _submit_tthcc()
    submission_review(submission=submission, user=coordinator, accept=False, comment="Lần nữa")
    assert mail_pending() == 0  # the coordinator muted it; the reporter waits for the digest
    assert Notification.objects.filter(recipient=coordinator, kind=Kind.SUBMITTED).count() == 2
    assert mail_digest() == 1
    ((to, mail),) = smtp.messages
    assert to == ["baocao.tthcc@cathai.gov.vn"]
    body = mail.get_payload(decode=True).decode()
    assert "Có 2 thông báo mới" in body and body.count("bị trả lại") == 2
    assert mail_digest() == 0  # nothing twice


def test_reminders_before_and_after_the_due_day_each_once(dataset, capsys):
    # Q1 is due on 14/04/2026 (the 14th after the quarter); the demo's offices that report
    # Q1 themselves have not sent it
    before = dt.date(2026, 4, 11)
    planned = remind(before, dry_run=True)
    assert not Notification.objects.exists()
    q1 = [r for r in planned if r.period.code == Q1]
    assert {r.unit.code for r in q1} >= {"CATHAI-TTHCC"} and all(r.days == 3 for r in q1)
    assert main(["remind", "--dry-run", "--date", "11/04/2026"]) in (0, None)
    out = capsys.readouterr().out
    assert "Còn 3 ngày đến hạn gửi báo cáo tiến độ quý I năm 2026 của Trung tâm" in out
    remind(before)
    remind(before)  # run twice: told once
    reporter = _user("tthcc.baocao")
    assert Notification.objects.filter(recipient=reporter, kind=Kind.REMINDER).count() == 1
    remind(dt.date(2026, 4, 20))
    late = Notification.objects.get(recipient=reporter, kind=Kind.LATE)
    assert late.title.startswith("Quá hạn 6 ngày")
    # a unit that sent its report is not reminded
    _submit_tthcc()
    assert "CATHAI-TTHCC" not in {
        r.unit.code for r in remind(dt.date(2026, 4, 30), dry_run=True) if r.period.code == Q1
    }


def test_my_work_lists_what_waits_and_only_my_own_messages(dataset):
    reporter = _user("tthcc.baocao")
    work = work_for(user=reporter, today=dt.date(2026, 4, 11))
    q1 = [r for r in work["to_report"] if r.period.code == Q1]
    assert [(r.unit.code, r.days) for r in q1] == [("CATHAI-TTHCC", 3)]
    submission = _submit_tthcc()
    coordinator = _user("vhxh.tonghop")
    assert submission in work_for(user=coordinator, today=dt.date(2026, 4, 11))["to_review"]
    # the menu counts what waits for the coordinator's step, not the leader's
    menu = login("vhxh.tonghop").get(reverse("web:my_work")).context
    assert menu["nav_waiting"] == 1
    assert login("lanhdao").get(reverse("web:my_work")).context["nav_waiting"] == 0
    submission_review(submission=submission, user=coordinator, accept=False, comment="Bổ sung")
    again = work_for(user=reporter, today=dt.date(2026, 4, 11))
    assert again["to_report"][0].returned and again["to_report"][0].unit.code == "CATHAI-TTHCC"
    client = login("tthcc.baocao")
    page = client.get(reverse("web:my_work")).content.decode()
    assert "Báo cáo tiến độ bị trả lại" in page and "data-unread" in page
    mine = Notification.objects.get(recipient=reporter, kind=Kind.RETURNED)
    # another person cannot open it
    assert (
        login("vhxh.baocao").get(reverse("web:notification_open", args=[mine.pk])).status_code
        == 404
    )
    opened = client.get(reverse("web:notification_open", args=[mine.pk]))
    assert opened.status_code == 302 and opened.url == mine.link
    mine.refresh_from_db()
    assert mine.read_at is not None
    # choices are one's own
    client.post(reverse("web:notify_preferences"), {"thu": "1", "nhan": [Kind.RETURNED]})
    from theodoi.notify.models import Preference

    preference = Preference.objects.get(user=reporter)
    assert preference.email and not preference.digest and Kind.REMINDER in preference.muted
    assert client.get(reverse("web:my_work")).status_code == 200
    assert login("kiemtra").get(reverse("web:my_work")).status_code == 200


def test_my_work_lists_the_parts_of_the_report_my_unit_writes(dataset, monkeypatch):
    # the service centre writes the report's part on digital government (the outline says so)
    import theodoi.web.views.work as work_view

    monkeypatch.setattr(work_view.timezone, "localdate", lambda: dt.date(2026, 4, 11))
    page = login("tthcc.baocao").get(reverse("web:my_work"))
    items = page.context["to_write"]
    assert [(w["unit"].code, w["field"].value, w["written"]) for w in items] == [
        ("CATHAI-TTHCC", "government", False)
    ]
    assert 'id="can-viet"' in page.content.decode()


def test_reminder_days_are_set_per_unit_and_kind_of_period(dataset):
    from theodoi.progress.models import ReminderSetting
    from theodoi.progress.services.reminders import days_before

    tthcc = OrgUnit.objects.get(code="CATHAI-TTHCC")
    early = dt.date(2026, 4, 4)  # ten days before Q1's due day
    assert not [r for r in remind(early, dry_run=True) if r.period.code == Q1]
    ReminderSetting.objects.create(org_unit=tthcc, period_kind="quarter", days_before=10)
    ReminderSetting.objects.create(org_unit=None, period_kind="quarter", days_before=2)
    assert days_before(tthcc, "quarter") == 10
    assert days_before(OrgUnit.objects.get(code="CATHAI-VHXH"), "quarter") == 2
    assert days_before(tthcc, "month") == 3  # THEODOI_REMIND_DAYS
    planned = [r for r in remind(early, dry_run=True) if r.period.code == Q1]
    assert [r.unit.code for r in planned] == ["CATHAI-TTHCC"] and planned[0].days == 10
