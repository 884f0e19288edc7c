from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from xiaoqu.clinics import services
from xiaoqu.clinics.choices import ClinicStatus
from xiaoqu.conftest import World

from .factories import at, clinic, complaint_row, held


@pytest.fixture
def running(catalog: World):
    world = catalog
    for month in range(1, 6):
        complaint_row(world, when=at(2025, month, 10))
    c = clinic(world, at=at(2025, 6, 1))
    held(world, c, dt.date(2025, 6, 5))
    return world, c


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("dispatcher", True),
        ("leader", True),
        ("admin", True),
        ("officer_a", True),  # the clinic is about an estate of his subdistrict
        ("manager_a", True),
        ("officer_b", False),
        ("liaison", False),  # until the housing bureau takes part
        ("clerk_a", False),
        ("member_a", False),
    ],
)
def test_who_sees_a_clinic(running, who: str, sees: bool) -> None:
    world, c = running
    client = world.client_for(getattr(world, who))
    detail = client.get(c.get_absolute_url())
    assert detail.status_code == (200 if sees else 404)
    listing = client.get(reverse("clinics:clinic_list"))
    assert listing.status_code == 200
    assert (c.number in listing.content.decode()) is sees


def test_a_department_sees_the_clinics_it_takes_part_in(running) -> None:
    world, c = running
    services.measure_add(
        actor=world.dispatcher,
        clinic=c,
        text="房管局约谈物业",
        due_date=dt.date(2025, 7, 1),
        department=world.housing,
    )
    client = world.client_for(world.liaison)
    page = client.get(c.get_absolute_url())
    assert page.status_code == 200
    assert "measure-done" in page.content.decode()  # his department's measure
    m = c.measures.get()
    assert (
        client.post(reverse("clinics:measure_done", args=[m.pk]), {"note": "已约谈"}).status_code
        == 302
    )
    m.refresh_from_db()
    assert m.done_at is not None and m.done_by == world.liaison


def test_the_page_shows_the_figures_and_the_statement(running) -> None:
    world, c = running
    page = world.client_for(world.dispatcher).get(c.get_absolute_url())
    html = page.content.decode()
    assert 'data-testid="clinic-chart"' in html and "clinic-chart-data" in html
    assert page.context["figures"].before_total == 5
    assert 'data-testid="clinic-statement"' in html
    assert f"estate={world.estate_a.pk}" in html  # months link to their records


def test_only_runners_make_moves(running) -> None:
    world, c = running
    url = reverse("clinics:clinic_move", args=[c.pk, "drop"])
    assert world.client_for(world.officer_a).post(url, {"reason": "x"}).status_code == 404
    client = world.client_for(world.dispatcher)
    page = client.get(reverse("clinics:clinic_move", args=[c.pk, "follow_up"]))
    assert "move-refusal" in page.content.decode()  # no measure yet: says why
    client.post(
        reverse("clinics:measure_add", args=[c.pk]),
        {"text": "街道清理", "subdistrict": world.sd_a.pk, "due_date": "2025-07-01"},
    )
    assert c.measures.count() == 1
    assert client.post(reverse("clinics:clinic_move", args=[c.pk, "follow_up"])).status_code == 302
    c.refresh_from_db()
    assert c.status == ClinicStatus.FOLLOW_UP


def test_open_by_hand_gather_and_release(catalog: World) -> None:
    world = catalog
    client = world.client_for(world.dispatcher)
    response = client.post(
        reverse("clinics:clinic_add"),
        {
            "title": "甲新村楼道堆物",
            "estates": [world.estate_a2.pk],
            "violation_type": world.estate_a2.pk and _type_pk(),
            "participants": "居委会主任",
        },
    )
    assert response.status_code == 302
    from xiaoqu.clinics.models import Clinic

    c = Clinic.objects.get()
    row = complaint_row(world, when=at(2025, 3, 3), estate=world.estate_a2)
    found = client.get(reverse("clinics:clinic_gather", args=[c.pk]), {"q": row.number})
    assert row.number in found.content.decode()
    client.post(reverse("clinics:clinic_gather", args=[c.pk]), {"kind": "complaint", "pk": row.pk})
    assert list(c.complaints.all()) == [row]
    client.post(reverse("clinics:clinic_release", args=[c.pk]), {"kind": "complaint", "pk": row.pk})
    assert not c.complaints.exists()
    assert world.client_for(world.officer_a).get(reverse("clinics:clinic_add")).status_code == 404


def _type_pk() -> int:
    from .factories import vtype

    return vtype().pk


def test_suggestions_page_and_open(catalog: World) -> None:
    world = catalog
    from xiaoqu.intake import services as intake
    from xiaoqu.intake.choices import Channel

    from .factories import vtype

    for _day in range(3):
        intake.complaint_create(
            actor=world.dispatcher,
            channel=Channel.HOTLINE,
            content="楼道堆物",
            estate=world.estate_a,
            violation_type=vtype(),
        )
    client = world.client_for(world.dispatcher)
    page = client.get(reverse("clinics:clinic_suggestions"))
    assert "甲花园" in page.content.decode()
    response = client.post(
        reverse("clinics:clinic_open_suggested"),
        {"estate": world.estate_a.pk, "violation_type": "common_area_occupation"},
    )
    assert response.status_code == 302
    from xiaoqu.clinics.models import Clinic

    assert Clinic.objects.get().complaints.count() == 3
    assert (
        world.client_for(world.officer_a).get(reverse("clinics:clinic_suggestions")).status_code
        == 404
    )


def test_export_print_and_records(running) -> None:
    world, c = running
    client = world.client_for(world.dispatcher)
    xlsx = client.get(reverse("clinics:clinic_list"), {"export": "xlsx"})
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd.openxml")
    assert client.get(reverse("clinics:clinic_list"), {"status": "held"}).context["total"] == 1
    assert client.get(reverse("clinics:clinic_list"), {"status": "closed"}).context["total"] == 0
    printed = client.get(reverse("clinics:clinic_print", args=[c.pk]))
    assert printed.status_code == 200 and c.title in printed.content.decode()
    records = client.get(reverse("clinics:clinic_records", args=[c.pk]), {"month": "2025-03"})
    assert len(records.context["rows"]) == 1
