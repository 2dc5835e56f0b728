"""The person's own account: name, position, phone and e-mail (shown in the late list and
used for notifications), and changing the password."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from theodoi.orgs.models import Profile
from theodoi.orgs.services import profile_save

FIELDS = {"full_name": "ho-ten", "position": "chuc-vu", "phone": "dien-thoai", "email": "thu"}


@login_required
def account(request: HttpRequest) -> HttpResponse:
    user = request.user
    profile = Profile.objects.filter(user=user).first()
    values = {
        "ho-ten": user.get_full_name(),
        "chuc-vu": profile.position if profile else "",
        "dien-thoai": profile.phone if profile else "",
        "thu": user.email,
    }
    errors: dict[str, list[str]] = {}
    password_form = PasswordChangeForm(user)
    if request.method == "POST" and request.POST.get("viec") == "ho-so":
        values = {name: request.POST.get(name, "") for name in FIELDS.values()}
        try:
            profile_save(user=user, **{key: values[name] for key, name in FIELDS.items()})
        except ValidationError as exc:
            errors = {FIELDS[k]: v for k, v in exc.message_dict.items()}
        else:
            messages.success(request, "Đã lưu hồ sơ cá nhân.")
            return redirect("web:account")
    elif request.method == "POST" and request.POST.get("viec") == "mat-khau":
        password_form = PasswordChangeForm(user, request.POST)
        if password_form.is_valid():
            password_form.save()
            update_session_auth_hash(request, password_form.user)
            messages.success(request, "Đã đổi mật khẩu.")
            return redirect("web:account")
    return render(
        request,
        "web/account.html",
        {"values": values, "errors": errors, "password_form": password_form},
    )
