"""Forms of credit demerits: the housing bureau's answer and the scoring rule table. Forms
read and check input; the services decide and write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from xiaoqu.law.forms import DATE_WIDGETS, CatalogForm
from xiaoqu.law.models import ViolationType

from .models import DemeritRule


def _textarea(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows, "class": "form-control form-control-sm"})


class ConfirmForm(forms.Form):
    note = forms.CharField(
        label=_("note"),
        required=False,
        widget=_textarea(2),
        help_text=_("Optional: what the housing bureau checked."),
    )


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("reasons"), widget=_textarea())


# The form of each move of a proposal.
PROPOSAL_FORMS: dict[str, type[forms.Form]] = {"confirm": ConfirmForm, "reject": RejectForm}


def violation_code_choices() -> list[tuple[str, str]]:
    seen: dict[str, str] = {}
    for code, name in ViolationType.objects.order_by(
        "sort_order", "code", "-effective_from"
    ).values_list("code", "name"):
        seen.setdefault(code, f"{name} ({code})")
    return list(seen.items())


class DemeritRuleForm(CatalogForm):
    violation_codes = forms.MultipleChoiceField(
        label=_("violation types"),
        required=False,
        help_text=DemeritRule._meta.get_field("violation_codes").help_text,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = DemeritRule
        fields = [
            "code",
            "description",
            "situation",
            "violation_codes",
            "company_points",
            "manager_points",
            "window_months",
            "provision",
            "source_title",
            "source_article",
            "note",
            "sort_order",
            "effective_from",
            "effective_to",
            "verified",
        ]
        widgets = DATE_WIDGETS

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["violation_codes"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = violation_code_choices()

    def clean_violation_codes(self) -> list[str]:
        return list(self.cleaned_data.get("violation_codes") or [])
