"""The transition table of action items (督办事项): the assigned unit reports an item done, the
bureau accepts it or reopens it (with a reason and, if it likes, a new deadline), or cancels
it. The deadline runs while the item is open or reopened: to the end of its deadline day."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xiaoqu.core.workflow import NO_DEADLINE, Due, Move, Workflow

from .choices import OPEN_ACTION_ITEM_STATUSES
from .choices import ActionItemStatus as S
from .models import ActionItem
from .permissions import is_unit_user, may_run_meetings


def _unit(actor: Any, item: Any) -> bool:
    return is_unit_user(actor, item)


def _bureau(actor: Any, item: Any) -> bool:
    return may_run_meetings(actor, item.district_id)


def _system(actor: Any, item: Any) -> bool:
    return True


UNIT = _("a user of the unit it is assigned to")
BUREAU = _("the bureau's command centre")

ACTION_ITEM_MOVES = (
    Move(
        "done",
        _("Report done"),
        frozenset({S.OPEN, S.REOPENED}),
        S.DONE,
        _unit,
        UNIT,
        needs_reason=True,
        style="success",
    ),
    Move("accept", _("Accept"), frozenset({S.DONE}), S.ACCEPTED, _bureau, BUREAU, style="success"),
    Move(
        "reopen",
        _("Reopen: not done yet"),
        frozenset({S.DONE, S.ACCEPTED}),
        S.REOPENED,
        _bureau,
        BUREAU,
        needs_reason=True,
        style="warning",
    ),
    Move(
        "cancel",
        _("Cancel the action item"),
        frozenset({S.OPEN, S.REOPENED, S.DONE}),
        S.CANCELLED,
        _bureau,
        BUREAU,
        needs_reason=True,
        style="secondary",
    ),
    Move("overdue", _("Overdue"), frozenset(S.values), None, _system, BUREAU, internal=True),
    Move("urged", _("Urged"), frozenset(S.values), None, _system, BUREAU, internal=True),
)


def deadline_end(day: dt.date) -> dt.datetime:
    """The end of a deadline day (23:59:59 local time), as every deadline in days."""
    return timezone.make_aware(
        dt.datetime.combine(day, dt.time(23, 59, 59)), timezone.get_default_timezone()
    )


def action_item_deadline(item: ActionItem, at: dt.datetime) -> Due:
    if item.status in OPEN_ACTION_ITEM_STATUSES and item.deadline is not None:
        return Due(deadline_end(item.deadline), None, str(_("deadline set by the meeting")))
    return NO_DEADLINE


ACTION_ITEM_WORKFLOW = Workflow(
    name="action_item",
    model=ActionItem,
    states=S,
    moves=ACTION_ITEM_MOVES,
    deadline=action_item_deadline,
)
