"""`xiaoqu sweep`: the summary it prints, and what it refuses."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from xiaoqu.conftest import World

from .factories import at, dispatched_lead


def sweep_output(*args: str) -> str:
    out = io.StringIO()
    with translation.override("en"):
        call_command("sweep", *args, stdout=out)
    return out.getvalue()


def test_the_summary_names_what_was_marked(catalog: World):
    lead = dispatched_lead(catalog, at(2026, 4, 8, 10))
    complaint = lead.complaints.get()
    text = sweep_output("--at", "2026-05-06T09:00")
    assert text.startswith("Sweep of 2026-05-06 09:00: 2 marked overdue (leads 1,")
    assert "replies to reporters 1" in text
    assert lead.number in text and complaint.number in text
    # the same moment again: nothing left
    assert "0 marked overdue" in sweep_output("--at", "2026-05-06T09:00")
    # now
    assert "0 marked overdue" in sweep_output()


def test_the_sweep_is_not_run_ahead_of_time(world: World):
    with pytest.raises(CommandError), translation.override("en"):
        call_command("sweep", "--at", "2999-01-01 00:00", stdout=io.StringIO())
    with pytest.raises(CommandError):
        call_command("sweep", "--at", "yesterday", stdout=io.StringIO())
