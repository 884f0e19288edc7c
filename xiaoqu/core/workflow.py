"""Workflows: one transition table per workflow and one `transition` that makes a move.

A move is made in one transaction: the record's row is locked, the move is checked against
the table (is it allowed from the current state, may this actor make it, is the record in
his jurisdiction), the record is changed, its stored next deadline is recomputed from the
legal catalog, and an event is appended to its hash chain. A move the rules do not allow
is refused with the reason, in the user's language (Chinese by default)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from xiaoqu.audit.models import Event
from xiaoqu.audit.services import attachments_store, attachments_validate, event_record


class TransitionRefused(Exception):
    """A move the rules do not allow; `str(exc)` is the reason for the user."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Due:
    at: dt.datetime | None
    rule: Any = None  # law.DeadlineRule
    note: str = ""


NO_DEADLINE = Due(None)


@dataclass(frozen=True)
class Move:
    name: str
    label: str | Promise
    sources: frozenset[str]
    target: str | None  # None: the state does not change
    may: Callable[[Any, Any], bool]  # (actor, record) -> allowed
    who: str | Promise  # whom `may` allows, for the refusal ("the dispatcher")
    internal: bool = False  # made by another service as a consequence, never offered as a button
    needs_reason: bool = False
    style: str = "primary"


@dataclass
class Workflow:
    name: str
    model: type[models.Model]
    status_field: str
    states: type[models.TextChoices]
    moves: dict[str, Move] = field(default_factory=dict)
    deadline: Callable[[Any, dt.datetime], Due] = lambda record, at: NO_DEADLINE

    def __init__(
        self,
        *,
        name: str,
        model: type[models.Model],
        states: type[models.TextChoices],
        moves: Iterable[Move],
        deadline: Callable[[Any, dt.datetime], Due] | None = None,
        status_field: str = "status",
    ) -> None:
        self.name = name
        self.model = model
        self.states = states
        self.status_field = status_field
        self.moves = {m.name: m for m in moves}
        if deadline is not None:
            self.deadline = deadline

    def state_label(self, state: str) -> str:
        try:
            return str(self.states(state).label)
        except ValueError:
            return state

    def refusal(self, record: Any, actor: Any, move_name: str) -> str | None:
        """Why `actor` may not make `move_name` on `record` now, or None."""
        move = self.moves.get(move_name)
        if move is None:
            return _("There is no such step: %(move)s.") % {"move": move_name}
        # Internal moves are consequences of another record's move (an assistance answered,
        # a referral taken back) whose service checked the actor's rights on that record.
        if (
            actor is not None
            and not move.internal
            and not self.model.objects.restrict(actor).filter(pk=record.pk).exists()  # type: ignore[attr-defined]
        ):
            return _("%(record)s is outside your jurisdiction.") % {"record": record}
        state = getattr(record, self.status_field)
        if state not in move.sources:
            allowed = "、".join(self.state_label(s) for s in sorted(move.sources))
            return _(
                "“%(move)s” is not possible while %(record)s is “%(state)s”; it is possible only "
                "when it is: %(allowed)s."
            ) % {
                "move": move.label,
                "record": record,
                "state": self.state_label(state),
                "allowed": allowed,
            }
        if not move.may(actor, record):
            return _("Only %(who)s can “%(move)s”.") % {"who": move.who, "move": move.label}
        return None

    def available(self, record: Any, actor: Any) -> list[Move]:
        """The moves `actor` can make now, for the buttons of the record's page."""
        return [
            m
            for name, m in self.moves.items()
            if not m.internal and self.refusal(record, actor, name) is None
        ]


def transition(
    *,
    workflow: Workflow,
    record: models.Model,
    move: str,
    actor: Any,
    reason: str = "",
    data: dict[str, Any] | None = None,
    at: dt.datetime | None = None,
    apply: Callable[[Any], dict[str, Any] | None] | None = None,
    uploads: Iterable[UploadedFile] = (),
) -> tuple[Any, Event]:
    """Make one move. `apply(locked_record)` changes the record's other fields (and may return
    more event data, or raise ValidationError / TransitionRefused to refuse the move)."""
    uploads = list(uploads)
    attachments_validate(uploads)  # before anything is written
    step = workflow.moves.get(move)
    if step is not None and step.needs_reason and not reason.strip():
        raise TransitionRefused(_("“%(move)s” needs a reason.") % {"move": step.label})
    moment = at or timezone.now()
    with transaction.atomic():
        locked: Any = workflow.model._default_manager.select_for_update().get(pk=record.pk)
        problem = workflow.refusal(locked, actor, move)
        if problem:
            raise TransitionRefused(problem)
        assert step is not None
        from_state = getattr(locked, workflow.status_field)
        extra = apply(locked) if apply is not None else None
        if step.target is not None:
            setattr(locked, workflow.status_field, step.target)
        deadline_update(workflow=workflow, record=locked, at=moment)
        locked.save()
        event = event_record(
            record=locked,
            actor=actor,
            action=move,
            from_state=from_state,
            to_state=getattr(locked, workflow.status_field),
            reason=reason,
            data={**(data or {}), **(extra or {})},
            at=moment,
        )
        if uploads:
            attachments_store(record=locked, event=event, uploads=uploads, actor=actor, at=moment)
    return locked, event


def deadline_update(*, workflow: Workflow, record: Any, at: dt.datetime) -> None:
    """Recompute the stored next deadline; a new deadline clears the overdue marks."""
    due = workflow.deadline(record, at)
    if due.at != record.due_at:
        record.overdue_at = None
        record.escalated_at = None
    record.due_at = due.at
    record.due_rule = due.rule
    record.due_note = due.note[:100]
