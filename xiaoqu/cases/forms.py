"""Forms of the case pages: filing (general and simplified procedure) from a lead, and one form
per move of a case. Forms only read and check input; the services decide and write."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xiaoqu.intake.forms import DateTimeLocalInput, MultipleFileField, bootstrap, now_local
from xiaoqu.intake.models import Inspection, Lead
from xiaoqu.law.models import Provision, ViolationType
from xiaoqu.law.workdays import deadline_for

from . import selectors
from .choices import EvidenceKind, ExecutionKind, PartyKind, PenaltyKind
from .models import Case, Evidence
from .services import fine_range, threshold_for

# The penalties an advance notice or a decision can carry (no notice announces no penalty).
NOTICE_PENALTIES = [(k, label) for k, label in PenaltyKind.choices if k != PenaltyKind.NONE]
SIMPLIFIED_PENALTIES = [
    (k, label) for k, label in PenaltyKind.choices if k in (PenaltyKind.WARNING, PenaltyKind.FINE)
]


def _fine_field(**kwargs: Any) -> forms.DecimalField:
    kwargs.setdefault("label", _("fine (yuan)"))
    kwargs.setdefault("required", False)
    return forms.DecimalField(max_digits=12, decimal_places=2, min_value=Decimal(0), **kwargs)


def _text(label: Any, rows: int = 3, **kwargs: Any) -> forms.CharField:
    return forms.CharField(label=label, widget=forms.Textarea(attrs={"rows": rows}), **kwargs)


def _yuan(value: Decimal | None) -> str:
    if value is None:
        return "—"
    return f"{value:,.0f}" if value == value.to_integral() else f"{value:,.2f}"


def range_text(low: Decimal | None, high: Decimal | None) -> str:
    if low is None and high is None:
        return str(_("no range in the catalog"))
    return str(_("%(low)s–%(high)s yuan") % {"low": _yuan(low), "high": _yuan(high)})


# ---------------------------------------------------------------------------------------------
# Filing from a lead


class ProvisionSelect(forms.SelectMultiple):
    """The provisions, each option showing its statute and article."""


class PartyForm(forms.Form):
    party_kind = forms.ChoiceField(label=_("party"), choices=PartyKind.choices)
    party_name = forms.CharField(label=_("party's name"), max_length=100)
    party_uscc = forms.CharField(
        label=_("unified social credit code"),
        max_length=18,
        required=False,
        help_text=_("For an organisation: its 18-character code (the check digit is verified)."),
    )
    party_id_number = forms.CharField(
        label=_("ID number"),
        max_length=30,
        required=False,
        help_text=_("For a person: the resident ID card number; lists show it masked."),
    )
    party_address = forms.CharField(label=_("party's address"), max_length=200, required=False)

    def __init__(self, *args: Any, lead: Lead, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lead = lead
        self.user = user
        visit: Inspection | None = (
            lead.inspections.exclude(party_name="").order_by("-inspected_at", "-pk").first()
        )
        if visit is not None:  # the party met on site
            if visit.party_kind in PartyKind.values:
                self.fields["party_kind"].initial = visit.party_kind
            self.fields["party_name"].initial = visit.party_name
            self.fields["party_uscc"].initial = visit.party_uscc
        self.visit = visit
        self.setup()
        bootstrap(self)

    def setup(self) -> None:
        pass

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("party_kind") == PartyKind.ORGANISATION and not data.get("party_uscc"):
            self.add_error(
                "party_uscc",
                _("An organisation is identified by its unified social credit code."),
            )
        return data

    def party_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        kind = data["party_kind"]
        return {
            "party_kind": kind,
            "party_name": data["party_name"],
            "party_uscc": data.get("party_uscc", "") if kind == PartyKind.ORGANISATION else "",
            "party_id_number": data.get("party_id_number", "") if kind == PartyKind.PERSON else "",
            "party_address": data.get("party_address", ""),
        }


def _default_provisions(vt: ViolationType) -> list[int]:
    pks = [p.pk for p in vt.prohibitions.all()]
    if vt.penalty_provision_id:
        pks.append(vt.penalty_provision_id)
    return pks


class CaseFileForm(PartyForm):
    party_representative = forms.CharField(
        label=_("legal representative"),
        max_length=50,
        required=False,
        help_text=_("For an organisation: its legal representative or person in charge."),
    )
    party_phone = forms.CharField(label=_("party's phone"), max_length=30, required=False)
    violation_type = forms.ModelChoiceField(
        label=_("violation type"), queryset=ViolationType.objects.none()
    )
    provisions = forms.ModelMultipleChoiceField(
        label=_("legal provisions"),
        queryset=Provision.objects.none(),
        required=False,
        widget=ProvisionSelect(attrs={"size": 8}),
        help_text=_(
            "Prefilled with the violation type's prohibitions and penalty provision; hold Ctrl "
            "to choose several."
        ),
    )
    facts = _text(_("facts"), rows=5)

    def setup(self) -> None:
        types = list(
            ViolationType.objects.effective()
            .prefetch_related("prohibitions")
            .order_by("sort_order", "code")
        )
        field = self.fields["violation_type"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = ViolationType.objects.filter(pk__in=[t.pk for t in types]).order_by(
            "sort_order", "code"
        )
        # The provisions of each type, for the page's script that prefills them on a change.
        self.type_provisions = {t.pk: _default_provisions(t) for t in types}
        provisions = self.fields["provisions"]
        assert isinstance(provisions, forms.ModelMultipleChoiceField)
        provisions.queryset = Provision.objects.select_related("statute").order_by(
            "statute__code", "article"
        )
        lead_type = self.lead.violation_type
        if lead_type is not None:
            current = next((t for t in types if t.code == lead_type.code), None)
            if current is not None:
                field.initial = current.pk
                provisions.initial = self.type_provisions[current.pk]
        if self.visit is not None:
            self.fields["facts"].initial = self.visit.findings
        else:
            self.fields["facts"].initial = self.lead.summary

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            **self.party_kwargs(),
            "party_representative": data.get("party_representative", ""),
            "party_phone": data.get("party_phone", ""),
            "violation_type": data["violation_type"],
            "provisions": list(data.get("provisions") or []),
            "facts": data["facts"],
        }


class SimplifiedForm(PartyForm):
    facts = _text(_("facts found on the spot"), rows=3)
    penalty = forms.ChoiceField(label=_("kind of penalty"), choices=SIMPLIFIED_PENALTIES)
    fine = _fine_field()
    decision_text = _text(
        _("text of the decision"),
        rows=3,
        required=False,
        help_text=_("The decision handed to the party on the spot; the facts when left empty."),
    )

    def setup(self) -> None:
        today = timezone.localdate()
        person = threshold_for("simplified_procedure", PartyKind.PERSON, on=today)
        organisation = threshold_for("simplified_procedure", PartyKind.ORGANISATION, on=today)
        self.limits = (person, organisation)
        self.fields["fine"].help_text = _(
            "On the spot at most %(person)s yuan for a person, %(organisation)s yuan for an "
            "organisation (Administrative Penalty Law, article 51); anything above needs the "
            "general procedure."
        ) % {"person": _yuan(person), "organisation": _yuan(organisation)}
        self.fields["facts"].initial = self.visit.findings if self.visit else self.lead.summary

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            **self.party_kwargs(),
            "facts": data["facts"],
            "penalty": data["penalty"],
            "fine": data.get("fine"),
            "decision_text": data.get("decision_text", ""),
        }


# ---------------------------------------------------------------------------------------------
# Moves of a case


class CaseActionForm(forms.Form):
    """Base of the move forms: knows the case and the user."""

    multipart = False

    def __init__(self, *args: Any, case: Case, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.case = case
        self.user = user
        self.setup()
        bootstrap(self)

    def setup(self) -> None:
        pass

    @property
    def uploads(self) -> list[Any]:
        return self.cleaned_data.get("attachments") or []


class ReasonForm(CaseActionForm):
    reason = _text(_("reason"))


class EvidenceForm(CaseActionForm):
    multipart = True

    kind = forms.ChoiceField(label=_("kind"), choices=EvidenceKind.choices)
    description = _text(
        _("description"),
        help_text=_(
            "What it is and what it shows. Items registered for preservation must be dealt "
            "with within 7 days (Administrative Penalty Law, article 56)."
        ),
    )
    collected_at = forms.DateTimeField(label=_("collected"), widget=DateTimeLocalInput())
    attachments = MultipleFileField()

    def setup(self) -> None:
        self.fields["collected_at"].initial = now_local


class PreservedChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        if obj.preservation_due is None:
            return str(obj.description[:40])
        return f"{obj.description[:40]} · {timezone.localtime(obj.preservation_due):%Y-%m-%d}"


class PreservationForm(CaseActionForm):
    evidence = PreservedChoiceField(label=_("preserved evidence"), queryset=Evidence.objects.none())
    outcome = _text(
        _("what was done with the preserved items"),
        help_text=_("Returned, confiscated, appraised, sealed up…"),
    )

    def setup(self) -> None:
        field = self.fields["evidence"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = selectors.pending_preservations(case=self.case)
        first = field.queryset.first()
        if first is not None:
            field.initial = first.pk


class PenaltyForm(CaseActionForm):
    penalty = forms.ChoiceField(label=_("kind of penalty"), choices=NOTICE_PENALTIES)
    fine = _fine_field()

    def setup(self) -> None:
        low, high = fine_range(self.case)
        vt = self.case.violation_type
        text = _("The catalog's range for %(type)s: %(range)s.") % {
            "type": vt.name,
            "range": range_text(low, high),
        }
        if vt.fine_unit_note:
            text = f"{text} {vt.fine_unit_note}"
        self.fields["fine"].help_text = text
        self.fields["fine"].widget.attrs["data-fine"] = "1"
        self.fields["penalty"].initial = PenaltyKind.FINE

    def penalty_kwargs(self) -> dict[str, Any]:
        return {"penalty": self.cleaned_data["penalty"], "fine": self.cleaned_data.get("fine")}


class ReviewRequestForm(PenaltyForm):
    def setup(self) -> None:
        super().setup()
        limit = threshold_for("legal_review", self.case.party_kind, on=timezone.localdate())
        if limit is not None:
            self.fields["penalty"].help_text = _(
                "A fine of %(limit)s yuan or more for this party, or a demolition, is a major "
                "decision: it needs legal review before the notice."
            ) % {"limit": _yuan(limit)}


class ReviewOpinionForm(CaseActionForm):
    opinion = _text(_("review opinion"))


class NoticeForm(PenaltyForm):
    served_at = forms.DateTimeField(label=_("notice served"), widget=DateTimeLocalInput())

    def setup(self) -> None:
        super().setup()
        self.fields["served_at"].initial = now_local
        case = self.case
        if case.proposed_penalty:
            self.fields["penalty"].initial = case.proposed_penalty
            self.fields["fine"].initial = case.reviewed_fine or case.proposed_fine
        self.fields["served_at"].help_text = _(
            "The party may state, defend and (for large fines) ask for a hearing within 5 "
            "working days (Administrative Penalty Law, articles 44 and 64)."
        )


class RenoticeForm(NoticeForm):
    reason = _text(
        _("why a new notice"),
        help_text=_(
            "A heavier penalty than the last notice needs a new notice (Administrative "
            "Penalty Law, article 45)."
        ),
    )

    def setup(self) -> None:
        super().setup()
        if self.case.notice_penalty:
            self.fields["penalty"].initial = self.case.notice_penalty
            self.fields["fine"].initial = self.case.notice_fine


class StatementForm(CaseActionForm):
    statement = _text(_("statement and defence"), rows=4)


class WaiverForm(CaseActionForm):
    multipart = True
    attachments = MultipleFileField(
        label=_("the signed waiver"),
        help_text=_(
            "A scan or photo of the party's written waiver (Administrative Penalty Law, article 62)."
        ),
    )


class HearingRequestForm(CaseActionForm):
    requested_at = forms.DateTimeField(label=_("hearing requested"), widget=DateTimeLocalInput())

    def setup(self) -> None:
        self.fields["requested_at"].initial = now_local
        self.fields["requested_at"].help_text = _(
            "Within 5 working days of the notice (Administrative Penalty Law, article 64)."
        )


class HearingScheduleForm(CaseActionForm):
    hearing_at = forms.DateTimeField(label=_("hearing time"), widget=DateTimeLocalInput())
    place = forms.CharField(label=_("hearing place"), max_length=200)

    def setup(self) -> None:
        earliest = timezone.localtime(deadline_for("hearing_notice", timezone.now()))
        self.fields["hearing_at"].initial = earliest.replace(
            hour=14, minute=0, second=0, microsecond=0
        )
        self.fields["hearing_at"].help_text = _(
            "The party is notified at least 7 working days ahead: not before %(date)s "
            "(Administrative Penalty Law, article 64)."
        ) % {"date": earliest.strftime("%Y-%m-%d")}


class HearingRecordForm(CaseActionForm):
    multipart = True
    held_at = forms.DateTimeField(label=_("hearing held"), widget=DateTimeLocalInput())
    record = _text(_("hearing record"), rows=4)
    attachments = MultipleFileField()

    def setup(self) -> None:
        hearing_at = self.case.hearing_at
        self.fields["held_at"].initial = (
            timezone.localtime(hearing_at).replace(second=0, microsecond=0)
            if hearing_at
            else now_local
        )


class DecisionForm(PenaltyForm):
    decision_text = _text(
        _("text of the decision"),
        rows=4,
        help_text=_("The facts found, the evidence, the grounds and the penalty."),
    )
    out_of_range_reason = _text(
        _("reason for a fine outside the catalog's range"),
        rows=2,
        required=False,
        help_text=_("Required only when the fine is outside the range; it is recorded."),
    )

    def setup(self) -> None:
        super().setup()
        case = self.case
        if case.notice_penalty:
            self.fields["penalty"].initial = case.notice_penalty
            self.fields["fine"].initial = case.notice_fine
        self.fields["decision_text"].initial = case.facts


class ServiceForm(CaseActionForm):
    multipart = True
    served_at = forms.DateTimeField(label=_("decision served"), widget=DateTimeLocalInput())
    method = forms.CharField(
        label=_("served by"),
        max_length=50,
        required=False,
        help_text=_("In person, by post, by the party's consent electronically…"),
    )
    attachments = MultipleFileField(
        help_text=_("The proof of service (送达回证) signed by the party.")
    )

    def setup(self) -> None:
        self.fields["served_at"].initial = now_local
        self.fields["method"].initial = _("served in person")

    def clean_served_at(self) -> dt.datetime:
        """The input has minutes only: served in the minute of the decision is not before it."""
        value: dt.datetime = self.cleaned_data["served_at"]
        decided = self.case.decided_at
        if decided is not None and value < decided <= value + dt.timedelta(minutes=1):
            return decided
        return value


class ExecutionForm(CaseActionForm):
    multipart = True
    kind = forms.ChoiceField(label=_("kind"), choices=ExecutionKind.choices)
    amount = _fine_field(label=_("amount (yuan)"))
    executed_at = forms.DateTimeField(label=_("time"), widget=DateTimeLocalInput())
    note = _text(_("note"), rows=2, required=False)
    attachments = MultipleFileField()

    def setup(self) -> None:
        self.fields["executed_at"].initial = now_local
        payment = selectors.case_payment(self.case)
        if payment is not None and payment.amount_due > 0:
            self.fields["kind"].initial = ExecutionKind.PAYMENT
            self.fields["amount"].initial = payment.amount_due
            self.fields["amount"].help_text = _(
                "Due today: %(due)s yuan (fine %(unpaid)s + late fee %(fee)s)."
            ) % {
                "due": _yuan(payment.amount_due),
                "unpaid": _yuan(payment.unpaid),
                "fee": _yuan(payment.late_fee),
            }


class CloseForm(CaseActionForm):
    report = _text(
        _("closure report"),
        rows=4,
        help_text=_("How the case was handled and executed, and what remains to follow."),
    )


class ExtensionForm(CaseActionForm):
    days = forms.IntegerField(label=_("days"), min_value=1, max_value=365)
    reason = _text(_("reason"))

    def setup(self) -> None:
        self.fields["days"].initial = 30
        self.fields["days"].help_text = _(
            "Calendar days added to the decision deadline of 90 days (Administrative Penalty "
            "Law, article 60)."
        )


class ExtensionApprovalForm(ExtensionForm):
    def setup(self) -> None:
        super().setup()
        request = selectors.pending_extension(case=self.case)
        if request is not None:
            self.fields["days"].initial = request.days or 30
            self.fields["reason"].initial = request.event.reason
