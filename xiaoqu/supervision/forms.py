"""Forms of supervision: urge notices, extension requests and decisions."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class UrgeForm(forms.Form):
    text = forms.CharField(
        label=_("urge notice"),
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
        help_text=_("What the responsible unit must do, and by when."),
    )


class ExtensionRequestForm(forms.Form):
    days = forms.IntegerField(
        label=_("working days"),
        min_value=1,
        widget=forms.NumberInput(attrs={"class": "form-control", "style": "max-width: 8rem"}),
    )
    reason = forms.CharField(
        label=_("reason"), widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"})
    )


class ExtensionDecisionForm(forms.Form):
    APPROVE, REJECT = "approve", "reject"
    decision = forms.ChoiceField(
        label=_("decision"),
        choices=((APPROVE, _("Approve")), (REJECT, _("Reject"))),
        widget=forms.HiddenInput,
    )
    note = forms.CharField(
        label=_("opinion"),
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
        help_text=_("Required when rejecting."),
    )

    @property
    def approve(self) -> bool:
        return self.cleaned_data.get("decision") == self.APPROVE
