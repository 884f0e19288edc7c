"""Forms of the community studio. Forms read and check input; the services decide and write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from xiaoqu.accounts.choices import Role
from xiaoqu.accounts.models import User
from xiaoqu.estates.models import Estate, Studio
from xiaoqu.intake.forms import DateInput, DateTimeLocalInput, MultipleFileField
from xiaoqu.law.models import ViolationType

from .choices import ActivityKind, MemberKind, ReportKind


def _bootstrap(form: forms.Form) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "form-select")
        elif isinstance(widget, forms.CheckboxInput | forms.RadioSelect):
            continue
        else:
            widget.attrs.setdefault("class", "form-control")


class MemberForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=MemberKind.choices)
    name = forms.CharField(label=_("name"), max_length=50)
    organisation = forms.CharField(
        label=_("organisation"),
        max_length=100,
        required=False,
        help_text=_("Committee, company or building the member comes from."),
    )
    estate = forms.ModelChoiceField(
        label=_("estate"), queryset=Estate.objects.none(), required=False
    )
    phone = forms.RegexField(
        label=_("phone"),
        max_length=40,
        required=False,
        regex=r"^[0-9+\-\s()]{5,40}$",
        error_messages={"invalid": _("Enter a phone number (digits, +, - or spaces).")},
    )
    user = forms.ModelChoiceField(
        label=_("platform account"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("The member's account on the platform (role studio member), if any."),
    )
    joined_on = forms.DateField(label=_("joined"), required=False, widget=DateInput())

    def __init__(self, *args: Any, studio: Studio, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.studio = studio
        estate = self.fields["estate"]
        assert isinstance(estate, forms.ModelChoiceField)
        estate.queryset = studio.estates.order_by("name")
        user = self.fields["user"]
        assert isinstance(user, forms.ModelChoiceField)
        user.queryset = User.objects.filter(
            role=Role.STUDIO_MEMBER, studio=studio, is_active=True
        ).order_by("username")
        _bootstrap(self)


class ActivityForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=ActivityKind.choices)
    title = forms.CharField(label=_("title"), max_length=100)
    starts_at = forms.DateTimeField(label=_("starts"), widget=DateTimeLocalInput())
    place = forms.CharField(label=_("place"), max_length=200, required=False)
    estate = forms.ModelChoiceField(
        label=_("estate"), queryset=Estate.objects.none(), required=False
    )
    notes = forms.CharField(
        label=_("notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    participants = forms.IntegerField(
        label=_("participants"), required=False, min_value=0, max_value=10000
    )
    outcome = forms.CharField(
        label=_("outcome"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What came of it, recorded afterwards."),
    )

    def __init__(self, *args: Any, studio: Studio, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        estate = self.fields["estate"]
        assert isinstance(estate, forms.ModelChoiceField)
        estate.queryset = studio.estates.order_by("name")
        _bootstrap(self)


class DeactivateForm(forms.Form):
    reason = forms.CharField(
        label=_("reason"),
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )


class ReportForm(forms.Form):
    """What a studio member saw, from a phone: big fields, the camera for photos."""

    estate = forms.ModelChoiceField(
        label=_("estate"),
        queryset=Estate.objects.none(),
        empty_label=None,
        widget=forms.RadioSelect,
    )
    kind = forms.ChoiceField(
        label=_("what is it"),
        choices=ReportKind.choices,
        initial=ReportKind.EARLY_SIGN,
        widget=forms.RadioSelect,
    )
    content = forms.CharField(
        label=_("what you saw"),
        widget=forms.Textarea(
            attrs={"rows": 4, "placeholder": _("e.g. workers carrying bricks into room 302")}
        ),
    )
    violation_type = forms.ModelChoiceField(
        label=_("violation type"),
        queryset=ViolationType.objects.none(),
        required=False,
        empty_label=_("Not sure"),
    )
    address = forms.CharField(
        label=_("where"),
        max_length=200,
        required=False,
        help_text=_("Building, room or the spot, e.g. 3号楼2单元楼道."),
    )
    photos = MultipleFileField(
        label=_("photos"),
        help_text=_("Take a photo or choose from the album; several at once."),
    )

    def __init__(self, *args: Any, studio: Studio, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        estate = self.fields["estate"]
        assert isinstance(estate, forms.ModelChoiceField)
        estate.queryset = studio.estates.order_by("name")
        estates = list(estate.queryset)
        if len(estates) == 1:
            self.fields["estate"].initial = estates[0].pk
        types = self.fields["violation_type"]
        assert isinstance(types, forms.ModelChoiceField)
        types.queryset = ViolationType.objects.effective().order_by("sort_order", "code")
        self.fields["photos"].widget.attrs.update(
            {"accept": "image/*", "class": "form-control form-control-lg"}
        )
        for name in ("content", "address"):
            self.fields[name].widget.attrs.setdefault("class", "form-control form-control-lg")
        self.fields["violation_type"].widget.attrs.setdefault("class", "form-select form-select-lg")
