"""The oversight demo on a small world: a programme from the demo plan's pilot estates six
months back, idempotent, and the lapse table built."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from xiaoqu.estates.models import Estate
from xiaoqu.oversight.demo import demo_oversight, demo_pilot
from xiaoqu.oversight.models import Lapse, PilotEstate, PilotProgramme

from .factories import LATER, T0, referral_at, swept


def test_demo_pilot_is_idempotent(catalog):
    w = catalog
    Estate.objects.filter(pk__in=[w.estate_a.pk, w.estate_b.pk]).update(is_pilot=True)
    referral_at(w, T0)
    swept()
    now = LATER + dt.timedelta(days=1)
    demo_oversight(district=w.district, seed=7, now=now)
    programme = PilotProgramme.objects.get()
    assert programme.is_demo
    assert programme.starts_on == dt.date(2025, 10, 1)  # six months before April 2026
    assert set(programme.estates.values_list("estate_id", flat=True)) == {
        w.estate_a.pk,
        w.estate_b.pk,
    }
    assert Lapse.objects.filter(district=w.district).exists()
    counts = (PilotProgramme.objects.count(), PilotEstate.objects.count(), Lapse.objects.count())
    demo_oversight(district=w.district, seed=7, now=now)
    assert demo_pilot(district=w.district, seed=7, now=now) == programme
    assert (
        PilotProgramme.objects.count(),
        PilotEstate.objects.count(),
        Lapse.objects.count(),
    ) == counts
    assert set(Estate.objects.filter(is_pilot=True).values_list("pk", flat=True)) == {
        w.estate_a.pk,
        w.estate_b.pk,
    }
    # the demo's programme (chosen by no user) shows on the pilot page
    html = w.client_for(w.leader).get(reverse("oversight:pilot")).content.decode()
    assert programme.name in html and "甲花园" in html
