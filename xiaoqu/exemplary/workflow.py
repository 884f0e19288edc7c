"""The transition table of an exemplary case:

draft ─submit─► submitted ─approve─► approved ─publish─► published ─withdraw─► withdrawn
  ▲                 │                    └──────────withdraw──────────────────┘
  └──── returned ◄─return (with a reason); a returned draft is edited and submitted again."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from xiaoqu.core.workflow import Move, Workflow

from .choices import ExemplaryStatus as S
from .models import ExemplaryCase
from .permissions import may_author, may_publish, may_review


def _author(actor: Any, record: Any) -> bool:
    return may_author(actor)


def _reviewer(actor: Any, record: Any) -> bool:
    return may_review(actor, record)


def _publisher(actor: Any, record: Any) -> bool:
    return may_publish(actor)


AUTHORS = _("dispatchers, officers, leaders and legal staff")
REVIEWERS = _("legal staff other than the author of the draft")
PUBLISHERS = _("legal staff, leaders and dispatchers")

MOVES = (
    Move(
        "submit",
        _("Submit for legal review"),
        frozenset({S.DRAFT, S.RETURNED}),
        S.SUBMITTED,
        _author,
        AUTHORS,
    ),
    Move(
        "approve",
        _("Approve"),
        frozenset({S.SUBMITTED}),
        S.APPROVED,
        _reviewer,
        REVIEWERS,
        needs_reason=True,
        style="success",
    ),
    Move(
        "return",
        _("Return with reasons"),
        frozenset({S.SUBMITTED}),
        S.RETURNED,
        _reviewer,
        REVIEWERS,
        needs_reason=True,
        style="warning",
    ),
    Move(
        "publish",
        _("Publish"),
        frozenset({S.APPROVED}),
        S.PUBLISHED,
        _publisher,
        PUBLISHERS,
        style="primary",
    ),
    Move(
        "withdraw",
        _("Withdraw from publication"),
        frozenset({S.APPROVED, S.PUBLISHED}),
        S.WITHDRAWN,
        _publisher,
        PUBLISHERS,
        needs_reason=True,
        style="danger",
    ),
)

EXEMPLARY_WORKFLOW = Workflow(name="exemplary", model=ExemplaryCase, states=S, moves=MOVES)
