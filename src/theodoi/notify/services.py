"""Telling people: write the inbox message, then send it by e-mail as the person chose.

:func:`notify` is the one way a message is made (the workflow and the reminders call it); the
e-mail follows when the transaction commits, through the background worker (django-q2; at once
on the laptop). :func:`mail_pending` sends what waits, :func:`mail_digest` one message a day to
those who chose a digest. No message leaves for an address outside ``THEODOI_MAIL_DOMAINS``
unless the administrator set ``THEODOI_MAIL_ANY_DOMAIN``; no message leaves without an SMTP
server (``THEODOI_SMTP_HOST``): the inbox has it all the same.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import timezone

from theodoi.notify.models import MailState, Notification, Preference

log = logging.getLogger(__name__)
MAIL_JOB = "theodoi.notify.services.mail_pending"


def notify(
    *,
    users: Iterable[Any],
    kind: str,
    title: str,
    body: str = "",
    link: str = "",
    key: str = "",
) -> list[Notification]:
    """A message to each of ``users`` (each once, none to an inactive account); with a
    ``key``, a person who already has that key's message gets no second one."""
    people = {u.pk: u for u in users if u is not None and u.is_active}
    if key:
        had = set(
            Notification.objects.filter(recipient_id__in=people, key=key).values_list(
                "recipient_id", flat=True
            )
        )
        people = {pk: u for pk, u in people.items() if pk not in had}
    made = Notification.objects.bulk_create(
        [
            Notification(
                recipient=user, kind=kind, title=title[:255], body=body, link=link[:500], key=key
            )
            for user in people.values()
        ]
    )
    if made:
        transaction.on_commit(_queue_mail)
    return made


def _queue_mail() -> None:
    from django_q.tasks import async_task

    async_task(MAIL_JOB, task_name="Gửi thư thông báo")


def preference_of(user: Any) -> Preference:
    preference = getattr(user, "notify_preference", None)
    try:
        return preference or Preference.objects.get(user=user)
    except Preference.DoesNotExist:
        return Preference(user=user)


def preference_save(*, user: Any, email: bool, digest: bool, muted: list[str]) -> Preference:
    """A person's own choices (nobody sets them for another)."""
    from theodoi.notify.models import Kind

    preference = preference_of(user)
    preference.email = email
    preference.digest = digest
    preference.muted = sorted(set(muted) & set(Kind.values))
    preference.save()
    return preference


def address_refusal(address: str) -> str:
    """Why a message may not go to ``address`` ("" when it may)."""
    if not address or "@" not in address:
        return "Người nhận chưa có địa chỉ thư điện tử."
    if not settings.EMAIL_HOST:
        return "Chưa cấu hình máy chủ thư (THEODOI_SMTP_HOST)."
    domain = address.rsplit("@", 1)[1].lower()
    if settings.THEODOI_MAIL_ANY_DOMAIN or domain in settings.THEODOI_MAIL_DOMAINS:
        return ""
    return f"Tên miền “{domain}” không có trong danh sách được phép gửi (THEODOI_MAIL_DOMAINS)."


def _decide(notification: Notification) -> tuple[str, str]:
    """What to do with a pending message's e-mail: send, keep for the digest, or not."""
    preference = preference_of(notification.recipient)
    if not preference.email or notification.kind in preference.muted:
        return MailState.NONE, "Người nhận chọn không nhận thư loại này."
    refusal = address_refusal(notification.recipient.email)
    if refusal:
        return MailState.NONE, refusal
    return (MailState.DIGEST if preference.digest else MailState.SENT), ""


def _link(path: str) -> str:
    return f"{settings.THEODOI_SITE_URL}{path}" if path.startswith("/") else path


def _body(notification: Notification) -> str:
    lines = (
        [notification.title, "", notification.body] if notification.body else [notification.title]
    )
    if notification.link:
        lines += ["", f"Xem: {_link(notification.link)}"]
    return "\n".join([*lines, "", "— theodoi (thư gửi tự động, xin đừng trả lời)"])


def mail_pending() -> int:
    """Send every pending message by e-mail as its recipient chose; returns how many left."""
    sent = 0
    pending = list(
        Notification.objects.filter(mail_state=MailState.PENDING).select_related("recipient")[:500]
    )
    if not pending:
        return 0
    connection = get_connection(fail_silently=False)
    for notification in pending:
        state, note = _decide(notification)
        if state == MailState.SENT:
            message = EmailMessage(
                subject=f"[theodoi] {notification.title}",
                body=_body(notification),
                to=[notification.recipient.email],
                connection=connection,
            )
            try:
                message.send()
            except OSError as exc:  # the server is down: try again on the next run
                log.warning("Không gửi được thư thông báo %s: %s", notification.pk, exc)
                break
            sent += 1
        if state != MailState.DIGEST:
            Notification.objects.filter(pk=notification.pk).update(mail_state=state, mail_note=note)
    return sent


def mail_digest() -> int:
    """One e-mail per person who chose a digest, with what was kept for it; returns how many
    e-mails left."""
    sent = 0
    waiting = Notification.objects.filter(mail_state=MailState.PENDING).select_related("recipient")
    by_person: dict[int, list[Notification]] = {}
    for notification in waiting:
        if _decide(notification)[0] == MailState.DIGEST:
            by_person.setdefault(notification.recipient_id, []).append(notification)
    for items in by_person.values():
        person = items[0].recipient
        body = [f"Có {len(items)} thông báo mới trên theodoi:", ""]
        for item in sorted(items, key=lambda n: n.created_at):
            body.append(f"- {timezone.localtime(item.created_at):%d/%m %H:%M} {item.title}")
            if item.link:
                body.append(f"  {_link(item.link)}")
        body += ["", "— theodoi (thư tổng hợp hằng ngày)"]
        EmailMessage(
            subject=f"[theodoi] {len(items)} thông báo mới",
            body="\n".join(body),
            to=[person.email],
        ).send()
        Notification.objects.filter(pk__in=[n.pk for n in items]).update(
            mail_state=MailState.DIGEST, mail_note=f"Thư tổng hợp {timezone.localdate():%d/%m/%Y}"
        )
        sent += 1
    return sent


def mark_read(*, user: Any, ids: Iterable[int] | None = None) -> int:
    """Mark the user's own messages read (all of them when ``ids`` is None)."""
    mine = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        mine = mine.filter(pk__in=list(ids))
    return mine.update(read_at=timezone.now())
