"""Shared pieces of the filter sets."""

from __future__ import annotations

from functools import reduce
from operator import or_
from typing import Any, ClassVar

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _


class AllYesNoSelect(forms.Select):
    """A yes/no filter whose empty choice means "all", not "unknown"."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        choices = (("", _("All")), ("true", _("Yes")), ("false", _("No")))
        super().__init__(attrs, choices)

    def format_value(self, value: Any) -> list[str]:  # type: ignore[override]
        mapping = {True: "true", False: "false", "true": "true", "false": "false"}
        return [mapping.get(value, "")]


class SearchFilterSet(django_filters.FilterSet):
    """A filter set with a free-text `q` over `search_fields` and Bootstrap widgets.

    Querysets handed to filter sets are already restricted to the user's jurisdiction;
    choices of related-object filters are restricted the same way."""

    search_fields: ClassVar[tuple[str, ...]] = ()
    search_placeholder: ClassVar[Any] = _("Search…")
    q = django_filters.CharFilter(method="search", label=_("Search"))

    def __init__(self, *args: Any, request: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, request=request, **kwargs)
        user = getattr(request, "user", None)
        for flt in self.filters.values():
            if isinstance(flt, django_filters.BooleanFilter):
                flt.extra["widget"] = AllYesNoSelect
        for name, field in self.form.fields.items():
            qs = getattr(field, "queryset", None)
            if qs is not None and user is not None and hasattr(qs, "restrict"):
                field.queryset = qs.restrict(user)
            if getattr(field, "empty_label", None) is not None:
                field.empty_label = _("All")
            widget = field.widget
            if isinstance(widget, forms.Select | forms.NullBooleanSelect):
                widget.attrs.setdefault("class", "form-select form-select-sm")
            else:
                widget.attrs.setdefault("class", "form-control form-control-sm")
            if name == "q":
                widget.attrs.setdefault("placeholder", str(self.search_placeholder))
                widget.attrs.setdefault("type", "search")
                widget.attrs.setdefault("autocomplete", "off")

    def search(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        value = value.strip()
        if not value or not self.search_fields:
            return queryset
        terms = [t for t in value.split() if t]
        for term in terms:
            cond = reduce(or_, (Q(**{f"{f}__icontains": term}) for f in self.search_fields))
            if any("__" in f for f in self.search_fields):
                queryset = queryset.filter(
                    pk__in=queryset.model._default_manager.filter(cond).values("pk")
                )
            else:
                queryset = queryset.filter(cond)
        return queryset
