"""The figures' definitions in one place (../shared/DESIGN.md § Figures).

Complaints per 10,000 residents (万人投诉率)
    complaints received in the period about estates in scope ÷ residents in scope × 10,000.
    Residents come from the current estate register. "Repeats folded": a complaint recorded
    as a repeat of an open matter (`Complaint.is_repeat`) is not counted again.

Deadline items (DESIGN: "items due in the period")
    Five kinds of item run against a deadline: a lead to verify and handle, a reply to the
    reporter, a referral answer, an assistance answer, a case decision. An item counts in the
    month of its deadline: `reply_due_at` for replies and `decision_due_at` for case decisions
    (both stay on the record); leads, referrals and assistance requests keep only their next
    running deadline, so once finished they count in the month they were finished, and while
    open in the month of their running deadline (an open item without a running deadline,
    e.g. a lead while it is referred, is not due). Merged repeat leads, withdrawn referrals and
    cancelled assistance requests are no items.

    finished      lead: closed or handed on to filing (the last such event); reply: replied;
                  referral / assistance: answered; case: decided.
    on time       finished by the deadline. For replies and case decisions: finished at or
                  before the stored deadline (working days and holidays are already in it,
                  `xiaoqu.law.workdays`). For leads, referrals and assistance: finished without
                  an overdue mark of the sweep (an `overdue` event) before finishing.
    late          finished, not on time.
    open overdue  not finished and marked overdue by the sweep now.
    closed        lead: closed; reply: replied; referral / assistance: answered; case: closed.
    reopened      lead reopened after a closure (rework, 返工).
    extended      lead or case whose deadline was extended (approved extension days).

    on-time rate (按期办结率) = on time ÷ due
    closure rate (结案率)     = closed ÷ due
    rework rate (返工率)      = reopened ÷ closed
    extension rate (延期率)   = extended ÷ due

Recurrence (回潮)
    a lead (not a merged repeat) about an estate and violation type received at most
    `RECURRENCE_DAYS` days after the closure of an earlier lead of the same estate and type.
    recurrence rate = recurrences among the leads received in the period ÷ those leads.

Rankings
    estates are ranked on an empirical-Bayes shrunk rate (`xiaoqu.analytics.shrinkage`) and
    only when they have at least `MIN_COUNT` complaints in the period.
"""

from __future__ import annotations

import datetime as dt

PER = 10_000
RECURRENCE_DAYS = 90
RECURRENCE_WINDOW = dt.timedelta(days=RECURRENCE_DAYS)
MIN_COUNT = 5

LEAD_FINISHED_STATES = ("closed", "to_filing")
OVERDUE_ACTION = "overdue"


def per_10k(complaints: float, residents: float) -> float | None:
    """Complaints per 10,000 residents; None without residents."""
    return complaints * PER / residents if residents else None


def ratio(numerator: float, denominator: float) -> float | None:
    return numerator / denominator if denominator else None


def is_recurrence(*, closed_at: dt.datetime, received_at: dt.datetime) -> bool:
    """A lead received within the window after a closure of the same estate and type."""
    return closed_at < received_at <= closed_at + RECURRENCE_WINDOW
