"""One form per move of a referral or an assistance request. Forms only read and check input;
the services decide and write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from xiaoqu.departments.choices import DepartmentKind
from xiaoqu.departments.models import Department

from .models import Referral


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; the services check their type and size."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"class": "form-control"}))
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("attachments"))
        kwargs.setdefault(
            "help_text", _("Photos, PDF, Word, Excel, audio or video; several files at once.")
        )
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


def _textarea(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows, "class": "form-control"})


class ConfirmForm(forms.Form):
    """A move without input (confirm receipt)."""


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("answer"), widget=_textarea(4))
    attachments = MultipleFileField()


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("reasons"), widget=_textarea())


class RedirectForm(forms.Form):
    department = forms.ModelChoiceField(
        label=_("department"),
        queryset=Department.objects.none(),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    matter = forms.CharField(
        label=_("matter referred"),
        required=False,
        widget=_textarea(),
        help_text=_("Leave empty to refer the same matter."),
    )

    def __init__(self, *args: Any, referral: Referral, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = (  # type: ignore[attr-defined]
            Department.objects.filter(
                district_id=referral.lead.district_id,
                is_active=True,
                kind=DepartmentKind.FUNCTIONAL,
            )
            .exclude(pk=referral.department_id)
            .order_by("code")
        )


# The form of each move; moves not listed here take no input.
REFERRAL_FORMS: dict[str, type[forms.Form]] = {
    "receive": ConfirmForm,
    "answer": AnswerForm,
    "return": ReasonForm,
    "resend": ReasonForm,
    "withdraw": ReasonForm,
    "redirect": RedirectForm,
}
ASSISTANCE_FORMS: dict[str, type[forms.Form]] = {
    "receive": ConfirmForm,
    "answer": AnswerForm,
    "cancel": ReasonForm,
}
