from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from xiaoqu.estates.choices import RiskGrade
from xiaoqu.intake.forms import MultipleFileField, MultipleFileInput
from xiaoqu.law.models import ViolationType

from .choices import DEFAULT_INTERVALS


class FrequencyForm(forms.Form):
    """One interval per grade."""

    def __init__(self, *args: Any, intervals: dict[str, int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for grade, label in RiskGrade.choices:
            self.fields[grade] = forms.IntegerField(
                label=label,
                min_value=1,
                max_value=366,
                initial=intervals.get(grade, DEFAULT_INTERVALS[grade]),
                help_text=_("Default: %(days)d days") % {"days": DEFAULT_INTERVALS[grade]},
                widget=forms.NumberInput(attrs={"class": "form-control", "inputmode": "numeric"}),
            )


class CheckInForm(forms.Form):
    latitude = forms.DecimalField(
        required=False, max_digits=9, decimal_places=6, widget=forms.HiddenInput
    )
    longitude = forms.DecimalField(
        required=False, max_digits=9, decimal_places=6, widget=forms.HiddenInput
    )


class FindingForm(forms.Form):
    violation_type = forms.ModelChoiceField(
        label=_("violation type"),
        queryset=ViolationType.objects.none(),
        required=False,
        empty_label=_("Not sure"),
        widget=forms.Select(attrs={"class": "form-select form-select-lg"}),
    )
    description = forms.CharField(
        label=_("what you found"),
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
        max_length=2000,
    )
    address = forms.CharField(
        label=_("location"),
        max_length=200,
        required=False,
        help_text=_("Building, unit or the spot, e.g. 3号楼2单元楼道."),
        widget=forms.TextInput(attrs={"class": "form-control form-control-lg"}),
    )
    ongoing = forms.BooleanField(
        label=_("construction is still going on"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    latitude = forms.DecimalField(
        required=False, max_digits=9, decimal_places=6, widget=forms.HiddenInput
    )
    longitude = forms.DecimalField(
        required=False, max_digits=9, decimal_places=6, widget=forms.HiddenInput
    )
    photos = MultipleFileField(
        label=_("photos"),
        help_text=_("Take or choose photos (JPEG, PNG…); several at once."),
        widget=MultipleFileInput(
            attrs={"accept": "image/*", "capture": "environment", "class": "form-control"}
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["violation_type"].queryset = (  # type: ignore[attr-defined]
            ViolationType.objects.effective().order_by("sort_order", "code")
        )


class FinishForm(forms.Form):
    summary = forms.CharField(
        label=_("summary"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
    )
