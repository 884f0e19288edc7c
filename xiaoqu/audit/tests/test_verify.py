"""`xiaoqu audit verify` walks every chain and reports each kind of tampering done directly
in the database: an edited event (data, reason), a deleted event, an edited record."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import ManagementUtility, call_command
from django.core.management.base import CommandError
from django.db import connection
from django.urls import reverse
from django.utils import translation

from xiaoqu.audit.models import Event
from xiaoqu.audit.services import record_events
from xiaoqu.conftest import World
from xiaoqu.intake.models import Lead
from xiaoqu.referrals import services as referrals
from xiaoqu.supervision.tests.factories import at, dispatched_lead, referral_at


def verify() -> tuple[str, str, int]:
    """Run the command as the `xiaoqu` script would: (stdout, stderr, exit code)."""
    out, err = io.StringIO(), io.StringIO()
    with translation.override("en"):
        try:
            call_command("audit", "verify", stdout=out, stderr=err)
            code = 0
        except CommandError as exc:
            err.write(str(exc))
            code = exc.returncode
    return out.getvalue(), err.getvalue(), code


@pytest.fixture
def history(catalog: World) -> dict[str, Any]:
    referral = referral_at(catalog, at(2026, 4, 8, 10))
    referrals.referral_receive(referral=referral, actor=catalog.liaison, at=at(2026, 4, 9))
    return {
        "lead": dispatched_lead(catalog, at(2026, 4, 8, 11), code="group_rental"),
        "referral": referral,
    }


def test_an_intact_log(history: dict[str, Any]):
    out, err, code = verify()
    assert code == 0 and err == ""
    events = Event.objects.count()
    assert f"Checked {events} events of" in out and "intact" in out


def test_an_edited_event_data_is_reported(history: dict[str, Any]):
    event = record_events(history["lead"]).last()
    assert event is not None
    Event.objects.filter(pk=event.pk).update(data={"team": "另一个中队"})
    _out, err, code = verify()
    assert code == 1
    assert f"lead#{history['lead'].pk}: event {event.seq} was altered" in err


def test_an_edited_reason_through_raw_sql_is_reported(history: dict[str, Any]):
    event = record_events(history["referral"]).first()
    assert event is not None
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Event._meta.db_table} SET reason = %s WHERE id = %s", ["改过的理由", event.pk]
        )
    _out, err, code = verify()
    assert code == 1 and f"referral#{history['referral'].pk}: event 1 was altered" in err


def test_a_deleted_event_is_reported(history: dict[str, Any]):
    referral = history["referral"]
    first = record_events(referral).first()
    assert first is not None
    Event.objects.filter(pk=first.pk).delete()  # the queryset bypasses Event.delete()
    _out, err, code = verify()
    assert code == 1 and f"referral#{referral.pk}: event 1 is missing" in err


def test_a_deleted_last_event_is_reported(history: dict[str, Any]):
    lead = history["lead"]
    last = record_events(lead).last()
    assert last is not None
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {Event._meta.db_table} WHERE id = %s", [last.pk])
    _out, err, code = verify()
    assert code == 1 and f"lead#{lead.pk}: the record counts" in err


def test_an_edited_record_hash_is_reported(history: dict[str, Any]):
    lead = history["lead"]
    Lead.objects.filter(pk=lead.pk).update(last_event_hash="f" * 64)
    _out, err, code = verify()
    assert code == 1 and f"lead#{lead.pk}: the last event does not match the record" in err


def test_every_problem_is_listed(history: dict[str, Any]):
    lead, referral = history["lead"], history["referral"]
    Lead.objects.filter(pk=lead.pk).update(last_event_hash="0" * 64)
    event = record_events(referral).last()
    assert event is not None
    Event.objects.filter(pk=event.pk).update(reason="x")
    _out, err, code = verify()
    assert code == 1
    assert "2 problems found" in err
    assert f"lead#{lead.pk}" in err and f"referral#{referral.pk}" in err


def test_the_exit_code_of_the_script(history: dict[str, Any]):
    Lead.objects.filter(pk=history["lead"].pk).update(last_event_hash="1" * 64)
    with pytest.raises(SystemExit) as exc:
        ManagementUtility(["xiaoqu", "audit", "verify"]).execute()
    assert exc.value.code == 1


def test_the_integrity_page(catalog: World, history: dict[str, Any]):
    url = reverse("audit:integrity")
    for user in (catalog.officer_a, catalog.dispatcher, catalog.liaison, catalog.clerk_a):
        assert catalog.client_for(user).get(url).status_code == 403
    client = catalog.client_for(catalog.leader)
    assert client.get(url).status_code == 200
    html = client.post(url).content.decode()
    assert 'data-testid="intact"' in html
    Lead.objects.filter(pk=history["lead"].pk).update(last_event_hash="2" * 64)
    html = catalog.client_for(catalog.admin).post(url).content.decode()
    assert html.count('data-testid="problem"') == 1
