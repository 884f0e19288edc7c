from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from xiaoqu.estates.models import Estate

from .selectors import label_choices


class CorrectionForm(forms.Form):
    """One click in the queue: the right type or referral target, the right estate, "not a
    repeat", or "confirm" (nothing given: the guesses are right)."""

    label = forms.ChoiceField(label=_("type or referral"), required=False)
    estate = forms.ModelChoiceField(
        label=_("estate"), queryset=Estate.objects.none(), required=False
    )
    not_repeat = forms.BooleanField(label=_("not a repeat"), required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["label"].choices = [("", "—"), *label_choices()]  # type: ignore[attr-defined]
        self.fields["estate"].queryset = Estate.objects.restrict(user)  # type: ignore[attr-defined]
