"""Writes of exemplary cases: the draft generated from a closed case, its edits, and the moves
of its review and publication. Every write takes the acting user, checks the move against the
transition table (`workflow.py`) and records an event in the same transaction."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoqu.audit.services import event_record
from xiaoqu.cases.choices import CaseStatus
from xiaoqu.cases.models import Case
from xiaoqu.core.workflow import TransitionRefused

from .anonymise import Finding, findings, personal_data_of
from .choices import ExemplaryStatus
from .drafting import draft_texts
from .models import TEXT_FIELDS, ExemplaryCase
from .permissions import may_author
from .workflow import EXEMPLARY_WORKFLOW


def _now(at: dt.datetime | None) -> dt.datetime:
    return at or timezone.now()


def personal_findings(exemplary: ExemplaryCase) -> dict[str, list[Finding]]:
    """Per text field, the personal data still in it (the case's own, and what looks personal)."""
    data = personal_data_of(exemplary.case)
    return {name: findings(getattr(exemplary, name), data) for name in TEXT_FIELDS}


def _refuse_personal(exemplary: ExemplaryCase, move: str) -> None:
    found = [f for fs in personal_findings(exemplary).values() for f in fs]
    if found:
        listed = "、".join(f"{f.label}“{f.value}”" for f in found[:5])
        raise TransitionRefused(
            _("The text still contains personal data (%(found)s): remove it before “%(move)s”.")
            % {"found": listed, "move": EXEMPLARY_WORKFLOW.moves[move].label}
        )


def exemplary_draft(
    *,
    actor: Any,
    case: Case,
    at: dt.datetime | None = None,
    public_id: uuid.UUID | None = None,
    is_demo: bool = False,
) -> ExemplaryCase:
    """A draft exemplary case generated from a closed case, with its personal data removed.
    A case has at most one exemplary case that is not withdrawn."""
    moment = _now(at)
    if actor is not None:
        if not may_author(actor):
            raise PermissionDenied(_("You may not draft exemplary cases."))
        if not Case.objects.restrict(actor).filter(pk=case.pk).exists():
            raise PermissionDenied(_("%(case)s is outside your jurisdiction.") % {"case": case})
    if case.status != CaseStatus.CLOSED:
        raise ValidationError(_("Only a closed case can become an exemplary case."))
    existing = (
        ExemplaryCase.objects.filter(case=case).exclude(status=ExemplaryStatus.WITHDRAWN).first()
    )
    if existing is not None:
        raise ValidationError(
            _("This case already has an exemplary case: “%(title)s”.") % {"title": existing}
        )
    texts = draft_texts(case)
    with transaction.atomic():
        exemplary = ExemplaryCase.objects.create(
            case=case,
            public_id=public_id or uuid.uuid4(),
            district=case.district,
            subdistrict=case.subdistrict,
            violation_type=case.violation_type,
            created_by=actor,
            created_at=moment,
            is_demo=is_demo,
            **texts,
        )
        event_record(
            record=exemplary,
            actor=actor,
            action="drafted",
            to_state=ExemplaryStatus.DRAFT,
            at=moment,
            data={"case": case.number, "violation_type": case.violation_type.code},
        )
    return exemplary


def exemplary_update(
    *, actor: Any, exemplary: ExemplaryCase, at: dt.datetime | None = None, **changes: str
) -> ExemplaryCase:
    """Edit the text: only while the draft is a draft or returned."""
    unknown = set(changes) - set(TEXT_FIELDS)
    if unknown:
        raise TypeError(f"unknown exemplary case fields: {sorted(unknown)}")
    moment = _now(at)
    with transaction.atomic():
        locked = ExemplaryCase.objects.select_for_update().get(pk=exemplary.pk)
        if actor is not None:
            if not may_author(actor):
                raise PermissionDenied(_("You may not edit exemplary cases."))
            if not ExemplaryCase.objects.restrict(actor).filter(pk=locked.pk).exists():
                raise PermissionDenied(
                    _("%(record)s is outside your jurisdiction.") % {"record": locked}
                )
        if not locked.is_editable:
            raise ValidationError(
                _("The text can be changed only while it is a draft or returned (now: %(s)s).")
                % {"s": locked.get_status_display()}
            )
        cleaned = {k: (v or "").strip() for k, v in changes.items()}
        for name, value in cleaned.items():
            if not value:
                raise ValidationError(
                    {
                        name: _("%(field)s is required.")
                        % {
                            "field": getattr(
                                ExemplaryCase._meta.get_field(name), "verbose_name", name
                            )
                        }
                    }
                )
        changed = sorted(k for k, v in cleaned.items() if getattr(locked, k) != v)
        if not changed:
            return locked
        for name in changed:
            setattr(locked, name, cleaned[name])
        locked.save(update_fields=changed)
        event_record(
            record=locked, actor=actor, action="edited", at=moment, data={"fields": changed}
        )
    return locked


def _move(
    *,
    actor: Any,
    exemplary: ExemplaryCase,
    move: str,
    reason: str = "",
    at: dt.datetime | None,
    apply: Callable[[ExemplaryCase, dt.datetime], None] | None = None,
) -> ExemplaryCase:
    step = EXEMPLARY_WORKFLOW.moves[move]
    if step.needs_reason and not reason.strip():
        raise TransitionRefused(_("“%(move)s” needs a reason.") % {"move": step.label})
    moment = _now(at)
    with transaction.atomic():
        locked = ExemplaryCase.objects.select_for_update().get(pk=exemplary.pk)
        problem = EXEMPLARY_WORKFLOW.refusal(locked, actor, move)
        if problem:
            raise TransitionRefused(problem)
        from_state = locked.status
        if apply is not None:
            apply(locked, moment)
        assert step.target is not None
        locked.status = step.target
        locked.save()
        event_record(
            record=locked,
            actor=actor,
            action=move,
            from_state=from_state,
            to_state=locked.status,
            reason=reason.strip(),
            at=moment,
        )
    return locked


def exemplary_submit(
    *, actor: Any, exemplary: ExemplaryCase, at: dt.datetime | None = None
) -> ExemplaryCase:
    def submit(locked: ExemplaryCase, moment: dt.datetime) -> None:
        locked.submitted_at = moment

    return _move(actor=actor, exemplary=exemplary, move="submit", at=at, apply=submit)


def exemplary_approve(
    *, actor: Any, exemplary: ExemplaryCase, note: str, at: dt.datetime | None = None
) -> ExemplaryCase:
    """Legal staff approve with a note; refused while the text holds any personal datum."""

    def approve(locked: ExemplaryCase, moment: dt.datetime) -> None:
        _refuse_personal(locked, "approve")
        locked.reviewed_by = actor
        locked.reviewed_at = moment
        locked.review_note = note.strip()
        locked.return_reason = ""

    return _move(
        actor=actor, exemplary=exemplary, move="approve", reason=note, at=at, apply=approve
    )


def exemplary_return(
    *, actor: Any, exemplary: ExemplaryCase, reason: str, at: dt.datetime | None = None
) -> ExemplaryCase:
    def give_back(locked: ExemplaryCase, moment: dt.datetime) -> None:
        locked.reviewed_by = actor
        locked.reviewed_at = moment
        locked.return_reason = reason.strip()

    return _move(
        actor=actor, exemplary=exemplary, move="return", reason=reason, at=at, apply=give_back
    )


def exemplary_publish(
    *, actor: Any, exemplary: ExemplaryCase, at: dt.datetime | None = None
) -> ExemplaryCase:
    """An approved case goes on the public page (the personal-data check runs once more)."""

    def publish(locked: ExemplaryCase, moment: dt.datetime) -> None:
        _refuse_personal(locked, "publish")
        locked.published_at = moment

    return _move(actor=actor, exemplary=exemplary, move="publish", at=at, apply=publish)


def exemplary_withdraw(
    *, actor: Any, exemplary: ExemplaryCase, reason: str, at: dt.datetime | None = None
) -> ExemplaryCase:
    def withdraw(locked: ExemplaryCase, moment: dt.datetime) -> None:
        locked.withdrawn_at = moment
        locked.withdraw_reason = reason.strip()

    return _move(
        actor=actor, exemplary=exemplary, move="withdraw", reason=reason, at=at, apply=withdraw
    )


MOVE_SERVICES: dict[str, Callable[..., ExemplaryCase]] = {
    "submit": exemplary_submit,
    "approve": exemplary_approve,
    "return": exemplary_return,
    "publish": exemplary_publish,
    "withdraw": exemplary_withdraw,
}
