"""Pages of the oversight app: jurisdiction of every page and export, the counts, the
pilot pages and who may choose."""

from __future__ import annotations

import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from xiaoqu.estates.models import Estate
from xiaoqu.oversight.lapses import lapses_refresh

from .factories import LATER, T0, complaint_at, pilot_world, referral_at, swept

LIST = reverse("oversight:lapse_list")


@pytest.fixture
def lapses(catalog):
    w = catalog
    ref_a = referral_at(w, T0)
    ref_b = referral_at(w, T0, estate=w.estate_b)
    comp_b = complaint_at(w, T0, estate=w.estate_b, content="乙公寓楼道堆物")
    swept()
    lapses_refresh(district=w.district, since=T0, at=LATER)
    return w, ref_a, ref_b, comp_b


def _page(client, url=LIST, **params):
    response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


def test_leader_sees_everything_with_counts(lapses):
    w, ref_a, ref_b, comp_b = lapses
    html = _page(w.client_for(w.leader))
    for record in (ref_a, ref_b, comp_b):
        assert record.number in html
    assert "甲街道" in html and "乙街道" in html
    assert f'href="/referrals/{ref_a.pk}/"' in html  # drills down to the record's events


def test_subdistrict_sees_its_own_only(lapses):
    w, ref_a, ref_b, comp_b = lapses
    html = _page(w.client_for(w.officer_a))
    assert ref_a.number in html
    assert ref_b.number not in html and comp_b.number not in html
    assert "乙" not in html and "丙" not in html


def test_department_sees_its_own_only(lapses):
    w, ref_a, ref_b, comp_b = lapses
    html = _page(w.client_for(w.liaison))
    assert ref_a.number in html and ref_b.number in html  # both sent to 房管局
    assert comp_b.number not in html  # a reply to a reporter is not the department's


@pytest.mark.parametrize("role", ["clerk_a", "member_a"])
def test_companies_and_studios_have_no_access(lapses, role):
    w = lapses[0]
    client = w.client_for(getattr(w, role))
    assert client.get(LIST).status_code == 403
    assert client.get(LIST, {"export": "xlsx"}).status_code == 403
    assert client.get(reverse("oversight:pilot")).status_code == 403


def test_export_is_restricted(lapses):
    w, ref_a, ref_b, _comp_b = lapses
    response = w.client_for(w.officer_a).get(LIST, {"export": "xlsx"})
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    cells = " ".join(str(c.value) for row in book.active.iter_rows() for c in row if c.value)
    assert ref_a.number in cells
    assert ref_b.number not in cells and "乙" not in cells


def test_filters_kind_and_subdistrict(lapses):
    w, ref_a, ref_b, comp_b = lapses
    client = w.client_for(w.leader)
    html = _page(client, subdistrict=w.sd_b.pk, kind="inaction")
    assert ref_b.number in html and comp_b.number in html
    assert ref_a.number not in html
    html = _page(client, kind="wrong")
    assert ref_a.number not in html


def test_counts_link_to_filtered_list(lapses):
    w = lapses[0]
    html = _page(w.client_for(w.leader))
    assert re.search(rf'subdistrict={w.sd_b.pk}&amp;kind=inaction">\d+<', html)


# ---------------------------------------------------------------------------------------------
# Pilot


@pytest.fixture
def pilot(catalog):
    return catalog, pilot_world(catalog, timezone.now())


def test_pilot_page_shows_evaluation(pilot):
    w, programme = pilot
    html = _page(w.client_for(w.leader), reverse("oversight:pilot"))
    assert programme.name in html
    assert 'data-testid="did-sentence"' in html
    assert 'id="did-data"' in html
    assert "甲花园" in html


def test_pilot_page_readable_by_subdistrict_and_department(pilot):
    w, programme = pilot
    for role in ("officer_b", "liaison"):
        html = _page(w.client_for(getattr(w, role)), reverse("oversight:pilot"))
        assert programme.name in html
        assert "Record a new pilot programme" not in html and "pilot/new" not in html


def test_candidates_suggest_and_leader_records(pilot):
    w, programme = pilot
    url = reverse("oversight:pilot_candidates")
    client = w.client_for(w.leader)
    html = _page(client, url)
    assert "甲新村" in html and "乙公寓" in html
    response = client.post(
        f"{url}?programme={programme.pk}",
        {"estate": [w.estate_b.pk], f"reason_{w.estate_b.pk}": "第1名"},
    )
    assert response.status_code == 302
    assert Estate.objects.get(pk=w.estate_b.pk).is_pilot
    assert programme.estates.filter(estate=w.estate_b, reason="第1名").exists()


def test_candidates_of_a_subdistrict_user_stay_inside(pilot):
    w, _programme = pilot
    html = _page(w.client_for(w.officer_a), reverse("oversight:pilot_candidates"))
    assert "甲新村" in html
    assert "乙" not in html and "丙" not in html


def test_others_cannot_choose(pilot):
    w, programme = pilot
    url = reverse("oversight:pilot_candidates") + f"?programme={programme.pk}"
    response = w.client_for(w.officer_a).post(url, {"estate": [w.estate_a2.pk]})
    assert response.status_code == 403
    assert not Estate.objects.get(pk=w.estate_a2.pk).is_pilot
    new = w.client_for(w.officer_a).post(
        reverse("oversight:programme_new"), {"name": "x", "starts_on": "2026-01-01"}
    )
    assert new.status_code == 403


def test_leader_creates_programme(catalog):
    w = catalog
    response = w.client_for(w.leader).post(
        reverse("oversight:programme_new"), {"name": "二期试点", "starts_on": "2026-01-01"}
    )
    assert response.status_code == 302
    html = _page(w.client_for(w.leader), reverse("oversight:pilot"))
    assert "二期试点" in html


def test_candidates_spread_parameters(pilot):
    w, programme = pilot
    client = w.client_for(w.leader)
    url = reverse("oversight:pilot_candidates")
    html = _page(client, url, programme=programme.pk)
    assert 'name="target" value="15"' in html  # defaults shown when only the programme is given
    assert html.count('data-chosen="1"') == 3
    html = _page(client, url, programme=programme.pk, target=3, per_subdistrict=1, per_type=3)
    # one estate per subdistrict: 甲花园 (rank 1) and 乙公寓; 甲新村 waits
    assert html.count('data-chosen="1"') == 2


def test_evaluation_leaves_out_months_before_any_record(pilot):
    from xiaoqu.oversight.selectors import pilot_evaluation

    _w, programme = pilot
    evaluation = pilot_evaluation(programme=programme, now=timezone.now())
    assert evaluation.result is not None
    # complaints were made 1..10 months back: 12 months before the start would reach 15 back
    assert len(evaluation.months) == 10
    assert evaluation.months[evaluation.start_index] == programme.starts_on
    assert evaluation.result.estimate < 0  # the pilot estate fell from 4 a month to 1


def test_candidates_leave_out_single_buildings(pilot):
    w, _programme = pilot
    Estate.objects.filter(pk=w.estate_b.pk).update(residents=400)
    html = _page(w.client_for(w.leader), reverse("oversight:pilot_candidates"))
    assert "甲新村" in html
    assert "乙公寓" not in html


def test_candidates_name_each_estates_main_type(pilot):
    from xiaoqu.oversight.selectors import pilot_candidates

    w, _programme = pilot
    suggestion = pilot_candidates(user=w.leader, now=timezone.now())
    main = {s.candidate.estate_id: s.candidate.main_type for s in suggestion}
    assert main[w.estate_a2.pk] == "household_waste"
    assert main[w.estate_b.pk] == "small_ads"
