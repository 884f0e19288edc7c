from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from xiaoqu.intake.choices import Channel
from xiaoqu.regions.models import Subdistrict

from .models import TriageRecord
from .selectors import OTHER, label_choices


class TriageQueueFilterSet(django_filters.FilterSet):
    subdistrict = django_filters.ModelChoiceFilter(
        field_name="complaint__subdistrict",
        queryset=Subdistrict.objects.all(),
        label=_("subdistrict"),
        empty_label=_("all subdistricts"),
    )
    guess = django_filters.ChoiceFilter(
        method="filter_guess", label=_("guessed type"), empty_label=_("all guesses")
    )
    channel = django_filters.ChoiceFilter(
        field_name="complaint__channel",
        choices=Channel.choices,
        label=_("channel"),
        empty_label=_("all channels"),
    )

    class Meta:
        model = TriageRecord
        fields = ["subdistrict", "guess", "channel"]

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["guess"].extra["choices"] = label_choices()
        self.form.fields["guess"].choices = [("", _("all guesses")), *label_choices()]
        if user is not None:
            self.form.fields["subdistrict"].queryset = Subdistrict.objects.restrict(user).order_by(
                "code"
            )

    def filter_guess(
        self, queryset: QuerySet[TriageRecord], name: str, value: str
    ) -> QuerySet[TriageRecord]:
        if not value:
            return queryset
        if value.startswith(OTHER):
            return queryset.filter(refer_to=value[len(OTHER) :])
        return queryset.filter(violation_type=value, refer_to="")
