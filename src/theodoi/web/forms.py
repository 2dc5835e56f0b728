"""Forms of the web application; every message is Vietnamese and sits on the field at fault."""

from __future__ import annotations

from decimal import Decimal

from django import forms

from theodoi.documents.models import Document
from theodoi.domain.entry import entry_problems, normalised_percent
from theodoi.domain.formatting import parse_number
from theodoi.progress.models import TaskUpdate
from theodoi.progress.services.updates import EDITABLE_FIELDS

TEXTAREA = {"rows": 2, "class": "form-control"}


class MarksInvalidFields:
    """Puts Bootstrap's ``is-invalid`` and ``aria-invalid`` on every field given an error, so
    the message shows on the field that is wrong."""

    def add_error(self, field, error):
        super().add_error(field, error)
        names = [field] if isinstance(field, str) else []
        if field is None and hasattr(error, "error_dict"):
            names = list(error.error_dict)
        for name in names:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                if "is-invalid" not in attrs.get("class", ""):
                    attrs["class"] = (attrs.get("class", "") + " is-invalid").strip()
                attrs["aria-invalid"] = "true"
                attrs["aria-describedby"] = f"id_{name}-loi"


class TaskUpdateForm(MarksInvalidFields, forms.ModelForm):
    """A unit's progress on one task for one period."""

    evidence_documents = forms.ModelMultipleChoiceField(
        queryset=Document.objects.exclude(symbol="").order_by("-issued_on"),
        required=False,
        label="Văn bản minh chứng",
        widget=forms.SelectMultiple(attrs={"class": "form-select", "size": 4}),
    )
    evidence_file = forms.FileField(
        required=False,
        label="Tải lên tệp minh chứng",
        widget=forms.ClearableFileInput(attrs={"class": "form-control"}),
    )

    class Meta:
        model = TaskUpdate
        fields = list(EDITABLE_FIELDS)
        widgets = {
            "reported_state": forms.Select(attrs={"class": "form-select"}),
            # Text, not a number input: a browser silently drops what a number input cannot
            # read ("5O" becomes 5); here the server reads what was typed, or refuses it.
            "progress_percent": forms.TextInput(
                attrs={"class": "form-control", "inputmode": "numeric", "autocomplete": "off"}
            ),
            "completion_date": forms.DateInput(
                format="%d/%m/%Y",
                attrs={
                    "class": "form-control",
                    "placeholder": "dd/mm/yyyy",
                    "inputmode": "numeric",
                },
            ),
            "results": forms.Textarea(attrs={**TEXTAREA, "rows": 3}),
            "difficulties": forms.Textarea(attrs=TEXTAREA),
            "causes": forms.Textarea(attrs=TEXTAREA),
            "proposals": forms.Textarea(attrs=TEXTAREA),
            "next_steps": forms.Textarea(attrs=TEXTAREA),
        }
        error_messages = {
            "completion_date": {"invalid": "Ngày không hợp lệ; nhập theo dạng dd/mm/yyyy."},
            "progress_percent": {
                "invalid": "Tiến độ là số nguyên từ 0 đến 100.",
                # not Django's "Đảm bảo giá trị này lớn hơn hoặc bằng với 0 ."
                "min_value": "Tiến độ phải từ 0 đến 100%%.",  # formatted: %% is one %
                "max_value": "Tiến độ phải từ 0 đến 100%%.",
            },
        }

    def __init__(self, *args, period=None, assigned_on=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.period = period
        self.assigned_on = assigned_on
        self.fields["reported_state"].choices = [("", "— Chọn —")] + [
            c for c in self.fields["reported_state"].choices if c[0]
        ]
        self.fields["progress_percent"].required = False

    def clean(self):
        data = super().clean()
        if "reported_state" in self.errors:
            return data
        problems = entry_problems(
            reported_state=data.get("reported_state"),
            progress_percent=data.get("progress_percent"),
            completion_date=data.get("completion_date"),
            results=data.get("results") or "",
            period_end=self.period.end if self.period is not None else None,
            assigned_on=self.assigned_on,
        )
        for name, messages in problems.items():
            for message in messages:
                if name not in self.errors:
                    self.add_error(name, message)
        if not problems and data.get("reported_state"):
            data["progress_percent"] = normalised_percent(
                data["reported_state"], data.get("progress_percent")
            )
        return data

    def _post_clean(self):
        # The service validates and saves; the form only checks what the user typed.
        pass


def parse_figure(text: str) -> Decimal | None:
    """A figure typed the Vietnamese way (1.234,5) or plainly (1234.5); blank is None."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        return parse_number(text)
    except ValueError as error:
        raise forms.ValidationError(str(error)) from None


class ReviewForm(forms.Form):
    comment = forms.CharField(
        label="Ý kiến",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
    )


class UnlockForm(forms.Form):
    reason = forms.CharField(
        label="Lý do mở khóa",
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
        error_messages={"required": "Mở khóa kỳ báo cáo thì phải ghi lý do."},
    )


class SubmitForm(forms.Form):
    explanation = forms.CharField(
        label="Giải trình (nếu số liệu chưa khớp quy tắc kiểm tra)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
    )


class IssueForm(forms.Form):
    number = forms.IntegerField(
        label="Số báo cáo",
        min_value=1,
        widget=forms.NumberInput(attrs={"class": "form-control"}),
        error_messages={
            "required": "Hãy nhập số của báo cáo.",
            "invalid": "Số báo cáo là số nguyên.",
        },
    )
    issued_on = forms.DateField(
        label="Ngày ban hành",
        widget=forms.DateInput(
            format="%d/%m/%Y", attrs={"class": "form-control", "placeholder": "dd/mm/yyyy"}
        ),
        error_messages={
            "required": "Hãy nhập ngày ban hành.",
            "invalid": "Ngày không hợp lệ; nhập theo dạng dd/mm/yyyy.",
        },
    )
    signer_name = forms.CharField(
        label="Người ký",
        required=False,
        max_length=128,
        # the leaders' names as their profiles write them (Tài khoản), offered as they type
        widget=forms.TextInput(attrs={"class": "form-control", "list": "nguoi-ky"}),
    )
    replaces = forms.BooleanField(
        label="Thay thế báo cáo đã ban hành của kỳ",
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
