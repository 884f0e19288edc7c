"""Display helpers of the case pages: status badges, masked ID numbers, amounts, the timeline
of a case's events, and the cards other pages include (a lead's cases, the officer's cases)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django import template
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xiaoqu.accounts.roles import is_officer_of
from xiaoqu.supervision.services import lateness

from ..choices import (
    CaseStatus,
    ClosureKind,
    EvidenceKind,
    ExecutionKind,
    PartyKind,
    PenaltyKind,
    Procedure,
    ReviewStatus,
)
from ..selectors import lead_cases, lead_may_be_filed, officer_cases
from ..workflow import CASE_WORKFLOW

register = template.Library()

STATUS_STYLE = {
    CaseStatus.INVESTIGATING: "text-bg-primary",
    CaseStatus.UNDER_REVIEW: "text-bg-info",
    CaseStatus.NOTIFIED: "text-bg-warning",
    CaseStatus.HEARING: "text-bg-warning",
    CaseStatus.DECIDED: "text-bg-danger",
    CaseStatus.EXECUTING: "text-bg-secondary",
    CaseStatus.CLOSED: "text-bg-success",
}
REVIEW_STYLE = {
    ReviewStatus.NOT_NEEDED: "text-bg-light border",
    ReviewStatus.PENDING: "text-bg-info",
    ReviewStatus.APPROVED: "text-bg-success",
    ReviewStatus.RETURNED: "text-bg-danger",
}


@register.simple_tag
def case_status_badge(case: Any) -> SafeString:
    return format_html(
        '<span class="badge {}" data-testid="case-status" data-status="{}">{}</span>',
        STATUS_STYLE.get(case.status, "text-bg-secondary"),
        case.status,
        case.get_status_display(),
    )


@register.simple_tag
def review_badge(case: Any) -> SafeString:
    return format_html(
        '<span class="badge {}" data-testid="review-status" data-status="{}">{}</span>',
        REVIEW_STYLE.get(case.review_status, "text-bg-secondary"),
        case.review_status,
        case.get_review_status_display(),
    )


def mask_id_number(value: str) -> str:
    """310107********1234: the region code and the last four characters of an ID number."""
    value = (value or "").strip()
    if not value:
        return ""
    if len(value) <= 8:
        return "*" * (len(value) - 2) + value[-2:]
    return f"{value[:6]}{'*' * (len(value) - 10)}{value[-4:]}"


@register.filter
def masked_id(value: str) -> str:
    return mask_id_number(value)


def yuan_text(value: Any) -> str:
    """1,500 or 1,500.50 (yuan), or — when there is no amount."""
    if value in (None, ""):
        return "—"
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    if amount == amount.to_integral():
        return f"{amount:,.0f}"
    return f"{amount:,.2f}"


@register.filter
def yuan(value: Any) -> str:
    return yuan_text(value)


def party_text(case: Any) -> str:
    """The party as lists show it: name, and the credit code or the masked ID number."""
    code = case.party_uscc or mask_id_number(case.party_id_number)
    return f"{case.party_name} {code}".strip()


@register.simple_tag
def penalty_text(penalty: str, fine: Any) -> str:
    """“罚款 1,500 元”, “警告”, or —."""
    if not penalty:
        return "—"
    label = str(PenaltyKind(penalty).label) if penalty in PenaltyKind.values else penalty
    if fine:
        return _("%(penalty)s, %(fine)s yuan") % {"penalty": label, "fine": yuan_text(fine)}
    return label


# ---------------------------------------------------------------------------------------------
# Timeline

ACTIONS = {
    "filed": gettext_lazy("Case filed"),
    "document_generated": gettext_lazy("Document generated"),
}
# The document's own rows: its title, number and version (the hash is internal).
DOCUMENT_LABELS = {
    "document": gettext_lazy("document"),
    "number": gettext_lazy("document number"),
    "version": gettext_lazy("version"),
}

DATA_LABELS = {
    "lead": gettext_lazy("lead"),
    "party": gettext_lazy("party"),
    "violation_type": gettext_lazy("violation type"),
    "procedure": gettext_lazy("procedure"),
    "evidence": gettext_lazy("evidence"),
    "description": gettext_lazy("description"),
    "preservation_due": gettext_lazy("to be dealt with by"),
    "outcome": gettext_lazy("what was done"),
    "late": gettext_lazy("late"),
    "penalty": gettext_lazy("kind of penalty"),
    "fine": gettext_lazy("fine (yuan)"),
    "approved": gettext_lazy("approved"),
    "served_at": gettext_lazy("served"),
    "hearing_right": gettext_lazy("right to a hearing"),
    "statement_until": gettext_lazy("statement period ends"),
    "statement": gettext_lazy("statement and defence"),
    "requested_at": gettext_lazy("hearing requested"),
    "hearing_at": gettext_lazy("hearing time"),
    "place": gettext_lazy("hearing place"),
    "held_at": gettext_lazy("hearing held"),
    "number": gettext_lazy("decision number"),
    "out_of_range": gettext_lazy("fine outside the catalog's range"),
    "method": gettext_lazy("served by"),
    "payment_due": gettext_lazy("payment due"),
    "execution": gettext_lazy("execution"),
    "amount": gettext_lazy("amount (yuan)"),
    "late_fee_at_payment": gettext_lazy("late fee at payment (yuan)"),
    "closure": gettext_lazy("closure"),
    "previous_closure": gettext_lazy("previous closure"),
    "days": gettext_lazy("days"),
    "decision_due_at": gettext_lazy("decision due"),
    "due_at": gettext_lazy("was due"),
    "rule": gettext_lazy("deadline rule"),
    "late_minutes": gettext_lazy("late by"),
}
CHOICES: dict[str, Any] = {
    "penalty": PenaltyKind,
    "execution": ExecutionKind,
    "closure": ClosureKind,
    "previous_closure": ClosureKind,
    "procedure": Procedure,
    "party_kind": PartyKind,
}
AMOUNTS = frozenset({"fine", "amount", "late_fee_at_payment"})
MOMENTS = frozenset(
    {
        "preservation_due",
        "served_at",
        "statement_until",
        "requested_at",
        "hearing_at",
        "held_at",
        "payment_due",
        "decision_due_at",
        "due_at",
    }
)


@register.simple_tag
def case_event_label(event: Any) -> str:
    move = CASE_WORKFLOW.moves.get(event.action)
    if event.action in ACTIONS:
        return str(ACTIONS[event.action])
    return str(move.label) if move is not None else event.action


@register.simple_tag
def case_event_states(event: Any) -> str:
    """“调查取证 → 已告知”, the state entered at filing, or nothing when unchanged."""
    if event.from_state and event.to_state and event.from_state != event.to_state:
        return (
            f"{CASE_WORKFLOW.state_label(event.from_state)} → "
            f"{CASE_WORKFLOW.state_label(event.to_state)}"
        )
    if event.to_state and not event.from_state:
        return CASE_WORKFLOW.state_label(event.to_state)
    return ""


def _value(key: str, value: Any, case: Any, links: dict[str, str]) -> Any:
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if key in AMOUNTS:
        return yuan_text(value)
    choices = CHOICES.get(key)
    if choices is not None:
        try:
            return choices(value).label
        except ValueError:
            return value
    if key == "evidence" and isinstance(value, str):
        try:
            return EvidenceKind(value).label
        except ValueError:
            return value
    if key == "violation_type" and case is not None and value == case.violation_type.code:
        return case.violation_type.name
    if key == "late_minutes" and isinstance(value, int):
        return lateness(dt.timedelta(minutes=value))
    if isinstance(value, str):
        if value in links:
            return format_html('<a href="{}">{}</a>', links[value], value)
        if key in MOMENTS:
            moment = parse_datetime(value)
            if moment is not None:
                return date_format(timezone.localtime(moment), "Y-m-d H:i")
    return value


@register.simple_tag
def case_event_data(
    event: Any, case: Any = None, links: dict[str, str] | None = None
) -> list[tuple[str, Any]]:
    """The event's data as readable (label, value) rows."""
    links = links or {}
    rows: list[tuple[str, Any]] = []
    if event.action == "document_generated":
        data = dict(event.data or {})
        data["document"] = data.get("title") or data.get("document")  # the title
        return [(str(label), data[key]) for key, label in DOCUMENT_LABELS.items() if data.get(key)]
    for key, value in (event.data or {}).items():
        if value in (None, ""):
            continue
        if key == "evidence" and not isinstance(value, str):
            continue  # the preserved item's id: the move says what it was
        label = DATA_LABELS.get(key, key.replace("_", " "))
        rows.append((str(label), _value(key, value, case, links)))
    return rows


# ---------------------------------------------------------------------------------------------
# Cards included by other pages


@register.inclusion_tag("cases/_lead_cases.html", takes_context=True)
def lead_cases_card(context: Any, lead: Any) -> dict[str, Any]:
    """On a lead's page: its penalty cases, and the entry points of filing for the officer."""
    user = context["request"].user
    cases = list(lead_cases(user=user, lead=lead))
    may_file = is_officer_of(user, lead.subdistrict_id) and lead_may_be_filed(lead, cases)
    return {"lead": lead, "cases": cases, "may_file": may_file}


@register.inclusion_tag("cases/_officer_cases.html", takes_context=True)
def officer_cases_card(context: Any) -> dict[str, Any]:
    """On the officer's to-do list: his subdistrict's open cases, the next deadline first."""
    user = context["request"].user
    return {"cases": list(officer_cases(user=user)), "now": timezone.now()}
