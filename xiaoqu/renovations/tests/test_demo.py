from __future__ import annotations

import pytest
from django.utils import timezone

from xiaoqu.accounts.models import User
from xiaoqu.estates.models import Estate
from xiaoqu.renovations.demo import demo_renovations
from xiaoqu.renovations.models import Renovation, RenovationCheck

pytestmark = pytest.mark.django_db


def test_demo_register_and_checks_idempotent(catalog) -> None:
    w = catalog
    User.objects.filter(pk__in=[w.clerk_a.pk, w.clerk_b.pk, w.dispatcher.pk]).update(is_demo=True)
    Estate.objects.filter(pk__in=[w.estate_a.pk, w.estate_a2.pk]).update(buildings=10, is_demo=True)
    now = timezone.now()
    result = demo_renovations(district=w.district, seed=7, now=now)
    assert result.renovations == Renovation.objects.filter(is_demo=True).count() > 0
    assert not Renovation.objects.filter(is_demo=False).exists()
    assert result.structural >= 3 and result.in_progress >= 3
    # Registered by the company that manages the estate.
    for r in Renovation.objects.select_related("estate", "registered_by"):
        assert r.registered_by.property_company_id == r.estate.property_company_id
    assert result.checks == {"structural": 3, "unregistered": 3}
    assert RenovationCheck.objects.filter(complaint__is_demo=True).count() == 6
    again = demo_renovations(district=w.district, seed=7, now=now)
    assert again.skipped == "already"
    assert Renovation.objects.count() == result.renovations
