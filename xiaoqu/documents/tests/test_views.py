"""The documents panel on the record pages, generating from it (HTMX and plain), downloads
only for users who may see the record, and the administrators' template page."""

from __future__ import annotations

from typing import Any

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from xiaoqu.conftest import World
from xiaoqu.documents import services
from xiaoqu.documents.choices import DocumentKind as K
from xiaoqu.documents.models import Document, DocumentTemplate

from . import factories as f
from .factories import at

HTMX = {"HX-Request": "true"}


@pytest.fixture(autouse=True)
def _documents_dir(settings: Any, tmp_path: Any) -> None:
    settings.DATA_DIR = tmp_path


def generate_url(key: str, record: Any, kind: str) -> str:
    return reverse("documents:generate", args=[key, record.pk, kind])


def test_the_lead_page_offers_the_rectification_notice_and_generates_it(catalog: World):
    lead = f.rectifying_lead(catalog, at(2026, 3, 2, 15))
    officer = catalog.client_for(catalog.officer_a)
    page = officer.get(lead.get_absolute_url()).content.decode()
    assert 'data-testid="documents-panel"' in page and "责令改正通知书" in page
    assert 'data-testid="generate-rectification_notice"' in page
    response = officer.post(generate_url("lead", lead, K.RECTIFICATION_NOTICE), headers=HTMX)
    assert response.status_code == 200
    panel = response.content.decode()
    assert "普城管责改字〔2026〕第0001号" in panel and 'data-testid="document-download"' in panel
    assert "<html" not in panel  # only the panel is redrawn
    document = Document.objects.get()
    assert reverse("documents:download", args=[document.pk]) in panel
    # the button now generates it again
    with translation.override("en"):
        again = officer.post(generate_url("lead", lead, K.RECTIFICATION_NOTICE), headers=HTMX)
    assert "重新生成" in again.content.decode()  # "Generate again", in Chinese
    assert Document.objects.filter(number=document.number).count() == 2


def test_a_lead_without_an_order_shows_no_document(catalog: World):
    lead = f.dispatched_lead(catalog, at(2026, 3, 2))
    page = catalog.client_for(catalog.officer_a).get(lead.get_absolute_url()).content.decode()
    assert 'data-testid="no-documents"' in page and "generate-" not in page


def test_a_refusal_shows_its_reason_in_the_panel(catalog: World):
    case = f.filed(catalog, at(2026, 3, 3))
    client = catalog.client_for(catalog.officer_a)
    with translation.override("en"):
        response = client.post(
            generate_url("case", case, K.PENALTY_DECISION), HTTP_ACCEPT_LANGUAGE="en", headers=HTMX
        )
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="documents-error"' in body and "行政处罚决定书" in body
    assert not Document.objects.exists()


def test_without_htmx_the_page_is_reloaded_with_a_message(catalog: World):
    referral = f.referral(catalog, at(2026, 4, 8))
    client = catalog.client_for(catalog.dispatcher)
    response = client.post(generate_url("referral", referral, K.REFERRAL_LETTER), follow=True)
    assert response.redirect_chain[-1][0] == referral.get_absolute_url()
    page = response.content.decode()
    assert "普城管移字〔2026〕第0001号" in page and "移送函" in page


def test_the_referral_and_assistance_pages_show_their_panel(catalog: World):
    referral = f.referral(catalog, at(2026, 4, 8))
    request = f.assistance(catalog, at(2026, 4, 8))
    client = catalog.client_for(catalog.officer_a)
    assert (
        'data-testid="document-referral_letter"'
        in client.get(referral.get_absolute_url()).content.decode()
    )
    assert (
        'data-testid="document-assistance_notice"'
        in client.get(request.get_absolute_url()).content.decode()
    )


def test_the_case_panel_through_the_tag(catalog: World):
    """The tag the case page includes: each document of the case's stage."""
    case = f.decided(catalog, at(2026, 3, 3))
    request = RequestFactory().get("/")
    request.user = catalog.officer_a
    html = Template("{% load documents_tags %}{% documents_panel case %}").render(
        Context({"case": case, "request": request})
    )
    for kind in (K.FILING_APPROVAL, K.PENALTY_NOTICE, K.PENALTY_DECISION):
        assert f'data-testid="generate-{kind}"' in html
    for kind in (K.HEARING_NOTICE, K.CLOSURE_REPORT):  # not at these stages
        assert f'data-testid="document-{kind}"' not in html
    request.user = catalog.officer_b  # may not see the case: nothing at all
    assert "documents-panel" not in Template(
        "{% load documents_tags %}{% documents_panel case %}"
    ).render(Context({"case": case, "request": request}))


def test_readers_see_documents_but_cannot_generate(catalog: World):
    lead = f.rectifying_lead(catalog, at(2026, 3, 2, 15))
    services.document_generate(kind=K.RECTIFICATION_NOTICE, record=lead, actor=catalog.officer_a)
    manager = catalog.client_for(catalog.manager_a)  # the subdistrict's manager reads the lead
    page = manager.get(lead.get_absolute_url()).content.decode()
    assert 'data-testid="document-download"' in page and "generate-" not in page
    assert (
        manager.post(generate_url("lead", lead, K.RECTIFICATION_NOTICE), headers=HTMX).status_code
        == 200
    )
    assert Document.objects.count() == 1


def test_downloads_only_for_those_who_may_see_the_record(catalog: World):
    case = f.notified(catalog, at(2026, 3, 3))
    document = services.document_generate(
        kind=K.PENALTY_NOTICE, record=case, actor=catalog.officer_a
    )
    url = reverse("documents:download", args=[document.pk])
    response = catalog.client_for(catalog.officer_a).get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    body = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    assert "普城管告字〔2026〕第0001号" in services.docx_text(body)
    for who in ("dispatcher", "leader", "legal"):
        assert catalog.client_for(getattr(catalog, who)).get(url).status_code == 200
    for who in ("officer_b", "clerk_a", "member_a", "liaison"):
        assert catalog.client_for(getattr(catalog, who)).get(url).status_code == 404, who
    assert (
        catalog.client_for(catalog.officer_b)
        .post(generate_url("case", case, K.PENALTY_NOTICE), headers=HTMX)
        .status_code
        == 404
    )
    assert (
        catalog.client_for(catalog.officer_a)
        .get(reverse("documents:download", args=[document.pk + 1000]))
        .status_code
        == 404
    )


def test_the_department_reads_the_letter_addressed_to_it(catalog: World):
    referral = f.referral(catalog, at(2026, 4, 8))
    document = services.document_generate(
        kind=K.REFERRAL_LETTER, record=referral, actor=catalog.dispatcher
    )
    url = reverse("documents:download", args=[document.pk])
    assert catalog.client_for(catalog.liaison).get(url).status_code == 200
    other = f.referral(catalog, at(2026, 4, 9), estate=catalog.estate_b)
    theirs = services.document_generate(
        kind=K.REFERRAL_LETTER, record=other, actor=catalog.dispatcher
    )
    assert (
        catalog.client_for(catalog.officer_a)
        .get(reverse("documents:download", args=[theirs.pk]))
        .status_code
        == 404
    )


# ---------------------------------------------------------------------------------------------
# Templates page


def test_the_template_page_is_for_administrators(catalog: World):
    url = reverse("documents:templates")
    page = catalog.client_for(catalog.admin).get(url)
    assert page.status_code == 200
    html = page.content.decode()
    for title in ("立案审批表", "责令改正通知书", "行政处罚告知书", "听证通知书", "行政处罚决定书"):
        assert title in html
    assert "普城管罚字〔" in html and "party.name" in html  # numbering and the fields reference
    for who in ("leader", "officer_a", "dispatcher"):
        assert catalog.client_for(getattr(catalog, who)).get(url).status_code == 403
    template = DocumentTemplate.objects.get(kind=K.PENALTY_DECISION)
    file_url = reverse("documents:template_file", args=[template.pk])
    assert catalog.client_for(catalog.admin).get(file_url).status_code == 200
    assert catalog.client_for(catalog.officer_a).get(file_url).status_code == 403


def test_upload_replace_and_restore_from_the_page(catalog: World):
    admin = catalog.client_for(catalog.admin)
    upload_url = reverse("documents:template_upload", args=[K.REFERRAL_LETTER])
    broken = f.docx_upload("{{ number }}", "{{ referral.nothing }}")
    response = admin.post(upload_url, {"file": broken}, follow=True)
    assert "nothing" in response.content.decode()  # the reason names the unknown field
    assert not DocumentTemplate.objects.filter(kind=K.REFERRAL_LETTER, is_default=False).exists()
    good = f.docx_upload("移送函（本局格式）", "{{ number }}", "{{ referral.department }}")
    admin.post(upload_url, {"file": good})
    active = DocumentTemplate.objects.get(kind=K.REFERRAL_LETTER, active=True)
    assert not active.is_default and active.uploaded_by == catalog.admin
    referral = f.referral(catalog, at(2026, 4, 8))
    document = services.document_generate(
        kind=K.REFERRAL_LETTER, record=referral, actor=catalog.dispatcher
    )
    assert "移送函（本局格式）" in services.docx_text(document.file.open("rb").read())
    admin.post(reverse("documents:template_default", args=[K.REFERRAL_LETTER]))
    assert DocumentTemplate.objects.get(kind=K.REFERRAL_LETTER, active=True).is_default
    officer = catalog.client_for(catalog.officer_a)
    assert officer.post(upload_url, {"file": f.docx_upload("{{ number }}")}).status_code == 403
    assert (
        officer.post(reverse("documents:template_default", args=[K.REFERRAL_LETTER])).status_code
        == 403
    )
