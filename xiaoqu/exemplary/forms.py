from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ExemplaryCase


class ExemplaryForm(forms.ModelForm):
    class Meta:
        model = ExemplaryCase
        fields = ["title", "facts", "legal_basis", "handling", "lesson"]
        widgets = {
            "title": forms.TextInput(attrs={"class": "form-control"}),
            "facts": forms.Textarea(attrs={"rows": 6, "class": "form-control"}),
            "legal_basis": forms.Textarea(attrs={"rows": 4, "class": "form-control"}),
            "handling": forms.Textarea(attrs={"rows": 4, "class": "form-control"}),
            "lesson": forms.Textarea(attrs={"rows": 4, "class": "form-control"}),
        }


class MoveForm(forms.Form):
    """The note of an approval, or the reason for returning or withdrawing."""

    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"})
    )

    def __init__(self, *args: Any, needs_reason: bool, label: Any = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["reason"]
        field.required = needs_reason
        if label:
            field.label = label
