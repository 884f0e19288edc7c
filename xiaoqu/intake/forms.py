"""Forms of the intake pages: the complaint form (reduced by role) and one form per move of a
lead. Forms only read and check input; the services decide and write."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import MaxValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xiaoqu.accounts.choices import Role
from xiaoqu.accounts.roles import is_dispatcher
from xiaoqu.departments.models import Department
from xiaoqu.estates.models import Estate
from xiaoqu.law.models import ViolationType
from xiaoqu.referrals.choices import AssistanceKind
from xiaoqu.regions.models import Subdistrict
from xiaoqu.supervision.services import extension_allowance

from . import selectors
from .choices import Channel, PartyKind
from .models import Lead
from .services import Visit

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("format", DATETIME_LOCAL)
        super().__init__(**kwargs)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("format", "%Y-%m-%d")
        super().__init__(**kwargs)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; the services check their type and size."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
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


class OngoingAwareSelect(forms.Select):
    """The violation-type select; options whose type has an on-site rule in hours (illegal
    construction) carry `data-ongoing`, so that the page shows the "still going on" box."""

    ongoing_pks: frozenset[int] = frozenset()

    def create_option(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(*args, **kwargs)
        value = getattr(option["value"], "value", option["value"])
        if value and int(value) in self.ongoing_pks:
            option["attrs"]["data-ongoing"] = "1"
        return option


def bootstrap(form: forms.BaseForm) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "form-select")
        elif not isinstance(widget, forms.HiddenInput):
            widget.attrs.setdefault("class", "form-control")
        if isinstance(widget, forms.Textarea) and str(widget.attrs.get("rows")) == "10":
            widget.attrs["rows"] = 3


def now_local() -> dt.datetime:
    return timezone.localtime().replace(second=0, microsecond=0)


# ---------------------------------------------------------------------------------------------
# Complaints


class ComplaintForm(forms.Form):
    """One form for every reporter; `user` decides which fields it has.

    The dispatcher (hotline clerk) has every field; an officer or subdistrict manager records
    a patrol finding in his subdistrict; property company staff report about the estates their
    company manages and say how they tried to dissuade; studio members report about their
    studio's estates."""

    channel = forms.ChoiceField(
        label=_("channel"), choices=Channel.choices, initial=Channel.HOTLINE
    )
    external_no = forms.CharField(
        label=_("work order number"),
        max_length=40,
        required=False,
        help_text=_("The 12345 work order number."),
    )
    received_at = forms.DateTimeField(label=_("received"), widget=DateTimeLocalInput())
    estate = forms.ModelChoiceField(
        label=_("estate"), queryset=Estate.objects.none(), required=False, widget=forms.HiddenInput
    )
    subdistrict = forms.ModelChoiceField(
        label=_("subdistrict"), queryset=Subdistrict.objects.none(), required=False
    )
    address = forms.CharField(
        label=_("location"),
        max_length=200,
        required=False,
        help_text=_("Building, floor, room or the spot, e.g. 3号楼2单元楼道."),
    )
    violation_type = forms.ModelChoiceField(
        label=_("violation type"),
        queryset=ViolationType.objects.none(),
        required=False,
        widget=OngoingAwareSelect,
        empty_label=_("Not known yet"),
    )
    ongoing = forms.BooleanField(
        label=_("construction is still going on"),
        required=False,
        help_text=_("Officers must be on site within 2 hours instead of 24."),
    )
    content = forms.CharField(label=_("content"), widget=forms.Textarea(attrs={"rows": 4}))
    reporter_name = forms.CharField(label=_("reporter"), max_length=50, required=False)
    reporter_phone = forms.RegexField(
        label=_("reporter's phone"),
        max_length=30,
        required=False,
        regex=r"^[0-9+\-\s()]{5,30}$",
        error_messages={"invalid": _("Enter a phone number (digits, +, - or spaces).")},
    )
    anonymous = forms.BooleanField(
        label=_("anonymous"),
        required=False,
        help_text=_("The reporter does not want his name passed on."),
    )
    dissuaded_at = forms.DateTimeField(
        label=_("dissuaded"),
        widget=DateTimeLocalInput(),
        help_text=_(
            "When you tried to stop the violation. The rules ask for a report within 24 hours "
            "after dissuasion fails."
        ),
    )
    dissuasion = forms.CharField(
        label=_("what was done to dissuade"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Who spoke to whom, what was said or handed over, and the answer."),
    )
    attachments = MultipleFileField()

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.role = getattr(user, "role", None)
        estate, subdistrict = self.fields["estate"], self.fields["subdistrict"]
        assert isinstance(estate, forms.ModelChoiceField)
        assert isinstance(subdistrict, forms.ModelChoiceField)
        estate.queryset = Estate.objects.restrict(user).select_related("subdistrict")
        subdistrict.queryset = Subdistrict.objects.restrict(user)
        types = ViolationType.objects.effective().order_by("sort_order", "code")
        self.fields["violation_type"].queryset = types  # type: ignore[attr-defined]
        widget = self.fields["violation_type"].widget
        assert isinstance(widget, OngoingAwareSelect)
        widget.ongoing_pks = frozenset(t.pk for t in types if t.deadline_codes)
        self.fields["received_at"].initial = now_local
        keep: set[str] = {
            "estate",
            "address",
            "violation_type",
            "ongoing",
            "content",
            "attachments",
        }
        if is_dispatcher(user):
            keep |= {
                "channel",
                "external_no",
                "received_at",
                "subdistrict",
                "reporter_name",
                "reporter_phone",
                "anonymous",
            }
        elif self.role in (Role.OFFICER, Role.SUBDISTRICT_MANAGER):
            keep |= {"received_at"}
            self.fields["received_at"].label = _("found")
            self.fields["content"].label = _("what was found")
        elif self.role == Role.PROPERTY_STAFF:
            keep |= {"dissuaded_at", "dissuasion"}
            self.fields["estate"].required = True
        elif self.role == Role.STUDIO_MEMBER:
            self.fields["estate"].required = True
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
        choose = _("Choose the estate from the list (type part of its name or address).")
        self.fields["estate"].error_messages.update(required=choose, invalid_choice=choose)
        bootstrap(self)

    @property
    def fixed_channel(self) -> str | None:
        """The channel the role implies (shown as text instead of a select)."""
        if "channel" in self.fields:
            return None
        if self.role == Role.PROPERTY_STAFF:
            return Channel.PROPERTY_COMPANY
        if self.role == Role.STUDIO_MEMBER:
            return Channel.STUDIO
        return Channel.PATROL

    @property
    def fixed_channel_label(self) -> str:
        fixed = self.fixed_channel
        return str(Channel(fixed).label) if fixed else ""

    def clean_dissuaded_at(self) -> dt.datetime:
        value: dt.datetime = self.cleaned_data["dissuaded_at"]
        if value > timezone.now() + dt.timedelta(minutes=5):
            raise forms.ValidationError(_("The time of dissuasion cannot be in the future."))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        vt = data.get("violation_type")
        if data.get("ongoing") and (vt is None or not vt.deadline_codes):
            data["ongoing"] = False
        return data

    def service_kwargs(self) -> dict[str, Any]:
        """The keyword arguments of `complaint_create` from the cleaned data."""
        data = self.cleaned_data
        kwargs: dict[str, Any] = {
            "channel": data.get("channel") or self.fixed_channel,
            "content": data["content"],
            "received_at": data.get("received_at"),
            "external_no": data.get("external_no", ""),
            "address": data.get("address", ""),
            "estate": data.get("estate"),
            "subdistrict": data.get("subdistrict"),
            "violation_type": data.get("violation_type"),
            "ongoing": bool(data.get("ongoing")),
            "reporter_name": data.get("reporter_name", ""),
            "reporter_phone": data.get("reporter_phone", ""),
            "anonymous": bool(data.get("anonymous")),
            "dissuaded_at": data.get("dissuaded_at"),
            "dissuasion": data.get("dissuasion", ""),
            "uploads": data.get("attachments") or [],
        }
        if self.role == Role.STUDIO_MEMBER and self.user.name:
            kwargs["reporter_name"] = self.user.name
        return kwargs


class ReplyForm(forms.Form):
    text = forms.CharField(
        label=_("what the reporter was told"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("By phone, message or letter: the result of the verification and what next."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)


# ---------------------------------------------------------------------------------------------
# Moves of a lead


class LeadActionForm(forms.Form):
    """Base of the move forms: knows the lead and the user."""

    multipart = False

    def __init__(self, *args: Any, lead: Lead, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lead = lead
        self.user = user
        self.setup()
        bootstrap(self)

    def setup(self) -> None:
        pass


class ReasonForm(LeadActionForm):
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 3}))


class VisitForm(LeadActionForm):
    """What the officer records on site (时间, 地点, 当事人, findings, photos)."""

    multipart = True
    with_found = False

    inspected_at = forms.DateTimeField(label=_("time of the visit"), widget=DateTimeLocalInput())
    place = forms.CharField(label=_("place"), max_length=200)
    party_kind = forms.ChoiceField(
        label=_("party"), choices=PartyKind.choices, initial=PartyKind.UNKNOWN
    )
    party_name = forms.CharField(label=_("party's name"), max_length=100, required=False)
    party_uscc = forms.CharField(
        label=_("party's credit code"),
        max_length=18,
        required=False,
        help_text=_("For an organisation: its 18-character unified social credit code."),
    )
    findings = forms.CharField(label=_("findings"), widget=forms.Textarea(attrs={"rows": 3}))
    violation_found = forms.BooleanField(label=_("violation found"), required=False)
    attachments = MultipleFileField()

    def setup(self) -> None:
        self.fields["inspected_at"].initial = now_local
        last = self.lead.inspections.order_by("-inspected_at", "-pk").first()
        if last is not None:  # a re-inspection usually meets the same party at the same place
            self.fields["place"].initial = last.place
            self.fields["party_kind"].initial = last.party_kind
            self.fields["party_name"].initial = last.party_name
            self.fields["party_uscc"].initial = last.party_uscc
        else:
            place = self.lead.address or (self.lead.estate.name if self.lead.estate else "")
            self.fields["place"].initial = place
        if not self.with_found:
            del self.fields["violation_found"]

    def found(self) -> bool:
        return bool(self.cleaned_data.get("violation_found"))

    def visit(self) -> Visit:
        data = self.cleaned_data
        return Visit(
            inspected_at=data["inspected_at"],
            place=data["place"],
            findings=data["findings"],
            violation_found=self.found(),
            party_kind=data["party_kind"],
            party_name=data.get("party_name", ""),
            party_uscc=data.get("party_uscc", ""),
        )


class RecordVisitForm(VisitForm):
    with_found = True


class CloseNoViolationForm(VisitForm):
    reason = forms.CharField(
        label=_("reason for closing"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Why there is no violation, as it will be told to the reporter."),
    )

    def found(self) -> bool:
        return False


class OrderRectificationForm(VisitForm):
    rectify_by = forms.DateField(label=_("rectify by"), widget=DateInput())

    def found(self) -> bool:
        return True


class ReinspectCorrectedForm(VisitForm):
    def found(self) -> bool:
        return False


class ReinspectNotCorrectedForm(VisitForm):
    def found(self) -> bool:
        return True


class SubdistrictForm(LeadActionForm):
    subdistrict = forms.ModelChoiceField(
        label=_("subdistrict"), queryset=Subdistrict.objects.none()
    )

    def setup(self) -> None:
        field = self.fields["subdistrict"]
        qs = Subdistrict.objects.restrict(self.user).filter(district_id=self.lead.district_id)
        field.queryset = qs  # type: ignore[attr-defined]


class DispatchForm(SubdistrictForm):
    def setup(self) -> None:
        super().setup()
        field = self.fields["subdistrict"]
        field.initial = self.lead.subdistrict_id
        field.required = self.lead.subdistrict_id is None
        field.help_text = _("The lead goes to the enforcement team of this subdistrict.")


class ReassignForm(SubdistrictForm):
    def setup(self) -> None:
        super().setup()
        field = self.fields["subdistrict"]
        field.queryset = field.queryset.exclude(pk=self.lead.subdistrict_id)  # type: ignore[attr-defined]
        field.label = _("new subdistrict")


class ReferForm(LeadActionForm):
    multipart = True

    department = forms.ModelChoiceField(
        label=_("competent department"), queryset=Department.objects.none()
    )
    matter = forms.CharField(
        label=_("matter referred"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What is referred and why it is the department's."),
    )
    attachments = MultipleFileField()

    def setup(self) -> None:
        self.fields["department"].queryset = selectors.departments_to_ask(lead=self.lead)  # type: ignore[attr-defined]
        self.fields["matter"].initial = self.lead.summary


class AssistanceForm(LeadActionForm):
    multipart = True

    department = forms.ModelChoiceField(label=_("department"), queryset=Department.objects.none())
    kind = forms.ChoiceField(label=_("assistance asked"), choices=AssistanceKind.choices)
    request = forms.CharField(
        label=_("request"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the department is asked to do or confirm (协助通知书)."),
    )
    attachments = MultipleFileField()

    def setup(self) -> None:
        self.fields["department"].queryset = selectors.departments_to_ask(lead=self.lead)  # type: ignore[attr-defined]


class MergeForm(LeadActionForm):
    number = forms.CharField(
        label=_("number of the open lead it repeats"),
        max_length=20,
        help_text=_("e.g. XS-2026-000123; its complaints are counted on that lead."),
    )

    def clean_number(self) -> Lead:
        target = selectors.lead_for_merge(user=self.user, number=self.cleaned_data["number"])
        if target is None:
            raise forms.ValidationError(_("No lead with this number in your jurisdiction."))
        return target


class ExtensionForm(LeadActionForm):
    days = forms.IntegerField(label=_("working days asked"), min_value=1)
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 3}))

    def setup(self) -> None:
        left = extension_allowance(self.lead)
        field = self.fields["days"]
        if left:
            field.initial = left
            field.max_value = left  # type: ignore[attr-defined]
            field.validators.append(MaxValueValidator(left))
            field.widget.attrs["max"] = left
        rule = self.lead.due_rule
        if rule is not None and rule.extension_note:
            field.help_text = rule.extension_note
