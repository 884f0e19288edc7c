"""The manual triage queue, corrections by POST (HTMX and plain), the complaint page's
triage panel, the models page with "train now", and who may see them."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from xiaoqu.intake import services as intake
from xiaoqu.intake.models import Complaint, Lead
from xiaoqu.triage import services
from xiaoqu.triage.models import Correction, ModelVersion, TriageRecord

from .fakes import FakeEngine, lead_of, type_code

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def engine(monkeypatch: pytest.MonkeyPatch) -> FakeEngine:
    fake = FakeEngine()
    monkeypatch.setattr(services, "triage_engine", lambda district=None, **kw: fake)
    return fake


def create(world: Any, content: str, **kw: Any) -> Complaint:
    kw.setdefault("actor", world.dispatcher)
    kw.setdefault("channel", "hotline")
    return intake.complaint_create(content=content, **kw)


def test_queue_shows_guesses_with_reasons_oldest_first(catalog: Any, engine: FakeEngine) -> None:
    vague = create(catalog, "甲花园好像有点问题")
    noise = create(catalog, "乙公寓夜间噪声扰民")
    sure = create(catalog, "甲花园楼道堆物")
    html = catalog.client_for(catalog.dispatcher).get(reverse("triage:queue")).content.decode()
    assert vague.number in html and noise.number in html
    assert sure.number not in html  # confident and placed: dispatched, not queued
    assert html.index(vague.number) < html.index(noise.number)
    assert "“好像”" in html and "30%" in html  # the reason and the confidence
    assert "甲工作室" in html  # the studio of the estate guessed
    assert "police" in html or "公安" in html or "refer" in html.lower()


def test_queue_filters(catalog: Any, engine: FakeEngine) -> None:
    a = create(catalog, "甲花园好像有点问题")
    b = create(catalog, "乙公寓夜间噪声扰民")
    client = catalog.client_for(catalog.dispatcher)
    html = client.get(reverse("triage:queue"), {"guess": "other:police"}).content.decode()
    assert b.number in html and a.number not in html
    html = client.get(reverse("triage:queue"), {"subdistrict": catalog.sd_a.pk}).content.decode()
    assert a.number in html and b.number not in html
    html = client.get(reverse("triage:queue"), {"channel": "resident"}).content.decode()
    assert a.number not in html


def test_correct_type_by_htmx_post_leaves_the_queue(catalog: Any, engine: FakeEngine) -> None:
    complaint = create(catalog, "甲花园好像有点问题")
    client = catalog.client_for(catalog.dispatcher)
    response = client.post(
        reverse("triage:correct", args=[complaint.pk]),
        {"label": "group_rental", "where": "queue"},
        **HTMX,
    )
    assert response.status_code == 200
    assert 'data-reviewed="1"' in response.content.decode()
    complaint.refresh_from_db()
    assert type_code(complaint) == "group_rental"
    assert Correction.objects.filter(complaint=complaint, field="violation_type").exists()
    html = client.get(reverse("triage:queue")).content.decode()
    assert complaint.number not in html


def test_correct_estate_and_referral_plain_post(catalog: Any, engine: FakeEngine) -> None:
    complaint = create(catalog, "某处夜间噪声")
    client = catalog.client_for(catalog.leader)
    response = client.post(
        reverse("triage:correct", args=[complaint.pk]),
        {"label": "other:environment", "estate": catalog.estate_b.pk},
    )
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.estate == catalog.estate_b
    assert lead_of(complaint).estate == catalog.estate_b
    assert set(Correction.objects.values_list("field", flat=True)) == {"refer_to", "estate"}


def test_confirm_and_panel_on_the_complaint_page(catalog: Any, engine: FakeEngine) -> None:
    complaint = create(catalog, "甲花园好像有点问题")
    client = catalog.client_for(catalog.dispatcher)
    html = client.get(complaint.get_absolute_url()).content.decode()
    assert 'data-testid="triage-panel"' in html and 'data-testid="correct-type"' in html
    response = client.post(
        reverse("triage:correct", args=[complaint.pk]), {"where": "panel"}, **HTMX
    )
    assert 'id="triage-panel"' in response.content.decode()
    assert TriageRecord.objects.get(complaint=complaint).reviewed_at is not None
    # an officer sees the guesses of his subdistrict's complaint but cannot correct them
    html = catalog.client_for(catalog.officer_a).get(complaint.get_absolute_url()).content.decode()
    assert 'data-testid="triage-panel"' in html and 'data-testid="correct-type"' not in html


def test_estate_options(catalog: Any, engine: FakeEngine) -> None:
    client = catalog.client_for(catalog.dispatcher)
    html = client.get(reverse("triage:estate_options"), {"estate_q": "乙"}).content.decode()
    assert "乙公寓" in html and "<option" in html


@pytest.mark.parametrize("who", ["officer_a", "clerk_a", "legal", "liaison", "manager_a"])
def test_others_may_not_triage(catalog: Any, engine: FakeEngine, who: str) -> None:
    complaint = create(catalog, "甲花园好像有点问题")
    client = catalog.client_for(getattr(catalog, who))
    assert client.get(reverse("triage:queue")).status_code == 403
    assert client.get(reverse("triage:models")).status_code == 403
    response = client.post(reverse("triage:correct", args=[complaint.pk]), {"label": "small_ads"})
    assert response.status_code in (403, 404)
    assert not Correction.objects.exists()


def test_menu_entries(catalog: Any) -> None:
    html = catalog.client_for(catalog.dispatcher).get(reverse("home")).content.decode()
    assert reverse("triage:queue") in html and reverse("triage:models") in html
    html = catalog.client_for(catalog.officer_a).get(reverse("home")).content.decode()
    assert reverse("triage:queue") not in html


def test_models_page_and_train_now(catalog: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from django.utils import timezone

    old = ModelVersion.objects.create(
        version="v1",
        trained_at=timezone.now(),
        path="/nonexistent",
        metrics={"macro_f1": 0.9, "accuracy": 0.91, "referral_accuracy": 0.8},
        train_size=100,
        active=True,
    )
    html = catalog.client_for(catalog.leader).get(reverse("triage:models")).content.decode()
    assert "v1" in html and 'data-testid="train-now"' not in html  # leaders see, admins train
    assert catalog.client_for(catalog.leader).post(reverse("triage:train")).status_code == 403

    def fake_train(**kwargs: Any) -> ModelVersion:
        assert kwargs["activate"] == "if_better" and kwargs["corrections"]
        kwargs["stdout"].write("Model v2: trained\n")
        return ModelVersion.objects.create(
            version="v2",
            trained_at=timezone.now(),
            path="/nonexistent",
            metrics={"macro_f1": 0.95, "accuracy": 0.96, "referral_accuracy": 0.9},
            train_size=100,
            corrections_used=3,
            active=True,
        )

    monkeypatch.setattr("xiaoqu.triage.training.train", fake_train)
    client = catalog.client_for(catalog.admin)
    assert 'data-testid="train-now"' in client.get(reverse("triage:models")).content.decode()
    html = client.post(reverse("triage:train")).content.decode()
    assert 'data-testid="train-result"' in html and "0.95" in html and "0.9" in html
    assert "Model v2: trained" in html
    assert old.version in html


def test_lead_page_chronic_badge_and_filter(catalog: Any, engine: FakeEngine) -> None:
    from django.utils import timezone

    complaint = create(catalog, "甲花园好像有点问题")
    lead = lead_of(complaint)
    Lead.objects.filter(pk=lead.pk).update(chronic_since=timezone.now())
    other = create(catalog, "乙公寓好像有点问题")
    client = catalog.client_for(catalog.dispatcher)
    assert 'data-testid="chronic-badge"' in client.get(lead.get_absolute_url()).content.decode()
    html = client.get(reverse("intake:lead_list"), {"chronic": "true"}).content.decode()
    assert lead.number in html and lead_of(other).number not in html


def test_queue_drops_a_complaint_whose_lead_was_dispatched(
    catalog: Any, engine: FakeEngine
) -> None:
    from xiaoqu.intake import services as intake

    vague = create(catalog, "甲花园好像有点问题")
    client = catalog.client_for(catalog.dispatcher)
    assert vague.number in client.get(reverse("triage:queue")).content.decode()
    lead = vague.lead
    assert lead is not None
    intake.lead_dispatch(lead=lead, actor=catalog.dispatcher)
    assert vague.number not in client.get(reverse("triage:queue")).content.decode()


def test_timeline_names_the_triage_in_words(catalog: Any, engine: FakeEngine) -> None:
    vague = create(catalog, "甲花园好像有点问题")
    html = catalog.client_for(catalog.dispatcher).get(vague.get_absolute_url()).content.decode()
    assert "low_confidence" not in html and "review reasons" not in html
    assert "置信度低于阈值" in html and "30%" in html
