"""The transition table of a clinic: gathering (open) → held → follow-up → closed.

A clinic is held on a date with its analysis; the follow-up starts when measures are agreed;
it is closed when every measure is done (or dropped, with the reason, before it is held); a
closed clinic can be reopened for more follow-up, with the reason."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from xiaoqu.accounts.roles import is_dispatcher
from xiaoqu.core.workflow import Move, Workflow

from .choices import ClinicStatus as S
from .models import Clinic


def may_run(actor: Any, clinic: Any = None) -> bool:
    """Dispatchers, bureau leaders and administrators of the clinic's district."""
    if not is_dispatcher(actor) or not getattr(actor, "is_active", False):
        return False
    if clinic is None or actor.is_superuser or actor.district_id is None:
        return True
    return bool(actor.district_id == clinic.district_id)


RUNNER = _("the dispatchers and bureau leaders")

MOVES = (
    Move("hold", _("Record the clinic as held"), frozenset({S.OPEN}), S.HELD, may_run, RUNNER),
    Move(
        "follow_up",
        _("Start the follow-up of the measures"),
        frozenset({S.HELD}),
        S.FOLLOW_UP,
        may_run,
        RUNNER,
    ),
    Move(
        "close",
        _("Close the clinic"),
        frozenset({S.FOLLOW_UP}),
        S.CLOSED,
        may_run,
        RUNNER,
        style="success",
    ),
    Move(
        "drop",
        _("Drop the clinic"),
        frozenset({S.OPEN}),
        S.CLOSED,
        may_run,
        RUNNER,
        needs_reason=True,
        style="outline-danger",
    ),
    Move(
        "reopen",
        _("Reopen for more follow-up"),
        frozenset({S.CLOSED}),
        S.FOLLOW_UP,
        may_run,
        RUNNER,
        needs_reason=True,
        style="outline-secondary",
    ),
)

CLINIC_WORKFLOW = Workflow(name="clinic", model=Clinic, states=S, moves=MOVES)
