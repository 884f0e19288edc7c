"""Every kind of document generated from records made through the real services, opened back
with python-docx and its fields checked; numbering per kind and year; regeneration; stage
refusals; who may generate; replaced and broken templates."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import translation
from docx import Document as open_docx
from docx.oxml.ns import qn

from xiaoqu.audit.services import audit_verify, record_events
from xiaoqu.cases import services as cases
from xiaoqu.cases.choices import PartyKind, PenaltyKind
from xiaoqu.conftest import World
from xiaoqu.core.models import NumberSequence
from xiaoqu.core.workflow import TransitionRefused
from xiaoqu.documents import services
from xiaoqu.documents.choices import DocumentKind as K
from xiaoqu.documents.context import date_zh
from xiaoqu.documents.defaults import default_template
from xiaoqu.documents.kinds import KINDS, RECORD_CONTEXTS, SAMPLE_CONTEXTS
from xiaoqu.documents.models import Document, DocumentNumber, DocumentTemplate
from xiaoqu.referrals import services as referrals

from . import factories as f
from .factories import at


@pytest.fixture(autouse=True)
def _documents_dir(settings: Any, tmp_path: Any) -> None:
    """Templates and generated files of each test in its own folder."""
    settings.DATA_DIR = tmp_path


def text_of(document: Document) -> str:
    with document.file.open("rb") as handle:
        return services.docx_text(handle.read())


def generate(kind: str, record: Any, actor: Any, when: dt.datetime | None = None) -> Document:
    return services.document_generate(kind=kind, record=record, actor=actor, at=when)


def assert_in(text: str, *parts: str) -> None:
    missing = [p for p in parts if p not in text]
    assert not missing, f"missing {missing} in:\n{text}"


BUREAU = "上海市普陀区城市管理行政执法局"


# ---------------------------------------------------------------------------------------------
# Every kind, opened back


def test_filing_approval(catalog: World):
    case = f.filed(catalog, at(2026, 3, 3))
    doc = generate(K.FILING_APPROVAL, case, catalog.officer_a, at(2026, 3, 3, 11))
    assert doc.number == "普城管立字〔2026〕第0001号" and doc.version == 1
    text = text_of(doc)
    assert_in(
        text,
        BUREAU,
        "立案审批表",
        "普城管立字〔2026〕第0001号",
        case.number,
        "张某涉嫌占用物业共用部分案",
        "张某（个人）",
        "身份证号码",
        "310107198001011234",
        "甲路100弄3号101室",
        "张某在3号楼楼道堆放纸箱和旧家具，占用共用部位，经责令未改正。",
        "《上海市住宅物业管理规定》第五十六条第二款第（四）项",
        "第八十五条",
        "2026年3月3日",
        "建议立案调查",
        "机关负责人审批意见",
        case.lead.number,
        "12345市民服务热线",
    )
    # the decision is due 90 days after filing (art. 60)
    assert_in(text, "第六十条", "2026年6月1日")
    assert "法定代表人" not in text  # a person has no representative row


def test_rectification_notice(catalog: World):
    lead = f.rectifying_lead(catalog, at(2026, 3, 2, 15))
    doc = generate(K.RECTIFICATION_NOTICE, lead, catalog.officer_a, at(2026, 3, 2, 16))
    assert doc.number == "普城管责改字〔2026〕第0001号"
    assert_in(
        services.docx_text(doc.file.open("rb").read()),
        "责令改正通知书",
        "普城管责改字〔2026〕第0001号",
        "张某：",
        "经查，你于2026年3月2日在甲花园3号楼楼道存在下列违法行为：楼道堆放纸箱和旧家具，占用共用部位。",
        "《上海市住宅物业管理规定》第五十六条第二款第（四）项",
        "根据《上海市住宅物业管理规定》第八十五条的规定",
        "于2026年3月9日前改正",
        "逾期不改正的，本局将依法立案查处",
        "附：相关法律条款",
        "2026年3月2日",
        "当事人签收",
    )


def test_penalty_notice_with_its_rights(catalog: World):
    case = f.notified(catalog, at(2026, 3, 3))
    doc = generate(K.PENALTY_NOTICE, case, catalog.officer_a)
    assert doc.number == "普城管告字〔2026〕第0001号"
    text = text_of(doc)
    assert_in(
        text,
        "行政处罚告知书",
        "张某：",
        "经查，张某在3号楼楼道堆放纸箱和旧家具",
        "你的上述行为违反了《上海市住宅物业管理规定》第五十六条第二款第（四）项、第（五）项的规定",
        "本局拟对你作出如下行政处罚：罚款人民币2000元（大写：贰仟元整）",
        # the rights paragraph (art. 44, 45): the statement period ends five days after service
        "《中华人民共和国行政处罚法》第四十四条、第四十五条",
        "陈述、申辩的权利",
        "不因你的陈述、申辩而加重处罚",
        f"即{date_zh(case.statement_until)}前",
        "2026年3月5日",  # dated the day the notice was served
    )
    # a fine of 2,000 yuan gives no right to a hearing: arts. 63/64 are not cited
    assert "第六十三条" not in text and "要求举行听证" not in text


def test_penalty_notice_with_the_right_to_a_hearing_and_the_hearing_notice(catalog: World):
    case = f.with_hearing(catalog, at(2026, 3, 2))
    notice = generate(K.PENALTY_NOTICE, case, catalog.officer_a)
    assert_in(
        text_of(notice),
        "罚款人民币8000元（大写：捌仟元整）",
        "第四十四条、第四十五条",
        "《中华人民共和国行政处罚法》第六十三条、第六十四条的规定，你有权要求举行听证",
    )
    hearing = generate(K.HEARING_NOTICE, case, catalog.officer_a)
    assert hearing.number == "普城管听字〔2026〕第0001号"
    assert_in(
        text_of(hearing),
        "听证通知书",
        "张某：",
        "你于2026年3月6日提出的听证要求",
        "第六十四条",
        "于2026年3月17日14时00分在甲街道城管执法中队会议室",
        f"行政处罚告知书文号：{notice.number}",
        "委托一至二人代理",
        "申请回避",
        "视为放弃听证权利",
        "2026年3月7日",  # notified on the day the hearing was scheduled
    )


def test_penalty_decision_carries_the_case_decision_number(catalog: World):
    case = f.decided(catalog, at(2026, 3, 3))
    notice = generate(K.PENALTY_NOTICE, case, catalog.officer_a)
    doc = generate(K.PENALTY_DECISION, case, catalog.officer_a)
    assert case.decision_number and doc.number == case.decision_number
    text = text_of(doc)
    assert_in(
        text,
        BUREAU,
        "行政处罚决定书",
        case.decision_number,
        "当事人：张某",
        "身份证号码：310107198001011234",
        "地址：甲路100弄3号101室",
        "经查，张某在3号楼楼道堆放纸箱和旧家具，占用共用部位，经责令未改正。",
        "以上事实有询问笔录等证据证实。",
        f"本局于2026年3月5日向你送达了行政处罚告知书（{notice.number}）",
        "你于2026年3月6日提出了陈述、申辩意见",
        "违反了《上海市住宅物业管理规定》第五十六条第二款第（四）项、第（五）项的规定",
        "鉴于当事人已清理部分堆物，依法从轻处罚。",
        "依据《上海市住宅物业管理规定》第八十五条的规定，本局决定对你作出如下行政处罚：罚款人民币1500元（大写：壹仟伍佰元整）。",
        "十五日内",
        "第七十二条",
        "六十日内向上海市普陀区人民政府申请行政复议",
        "六个月内依法向人民法院提起行政诉讼",
        "2026年3月17日",  # decided 14 days after filing
        "附：相关法律条款",
        "《上海市住宅物业管理规定》第八十五条：",
    )
    # the provisions are listed with their text
    provisions = list(case.provisions.all())
    assert provisions and all(p.text[:10] in text for p in provisions if p.text)
    assert "统一社会信用代码" not in text


def test_decision_for_an_organisation(catalog: World):
    uscc = catalog.company_a.uscc
    case = f.decided(
        catalog,
        at(2026, 3, 3),
        party_kind=PartyKind.ORGANISATION,
        party_name="甲物业公司",
        party_uscc=uscc,
        party_representative="王经理",
        party_id_number="",
        fine=1500,
    )
    form = text_of(generate(K.FILING_APPROVAL, case, catalog.officer_a))
    assert_in(
        form, "甲物业公司（单位）", "统一社会信用代码", uscc, "法定代表人（负责人）", "王经理"
    )
    text = text_of(generate(K.PENALTY_DECISION, case, catalog.officer_a))
    assert_in(
        text, "当事人：甲物业公司", f"统一社会信用代码：{uscc}", "法定代表人（负责人）：王经理"
    )
    assert_in(text, "你单位的上述行为", "本局决定对你单位作出如下行政处罚")
    assert "身份证号码" not in text


def test_closure_report(catalog: World):
    case = f.closed(catalog, at(2026, 3, 3))
    doc = generate(K.CLOSURE_REPORT, case, catalog.officer_a)
    assert doc.number == "普城管结字〔2026〕第0001号"
    assert_in(
        text_of(doc),
        "结案报告",
        case.number,
        case.decision_number,
        "罚款人民币1500元（大写：壹仟伍佰元整）",
        "2026年3月23日 缴纳罚款 1500元",
        "已缴纳罚款：1500元",
        "处罚决定已执行完毕",
        "罚款已缴清，楼道堆物已清除，结案。",
        "2026年3月24日",
        "一般程序",
    )


def test_referral_letter(catalog: World):
    referral = f.referral(catalog, at(2026, 4, 8))
    doc = generate(K.REFERRAL_LETTER, referral, catalog.dispatcher)
    assert doc.number == "普城管移字〔2026〕第0001号"
    assert_in(
        text_of(doc),
        "移送函",
        "区房管局：",
        f"编号{referral.lead.number}",
        "3号楼楼道被占用堆物。",
        "《上海市城市管理行政执法条例》第二十六条、第二十八条",
        "物业服务企业未按合同清运楼道堆物。",
        "函告本局",
        "2026年4月8日",
        "接收单位签收",
    )


def test_assistance_notice(catalog: World):
    request = f.assistance(catalog, at(2026, 4, 8))
    doc = generate(K.ASSISTANCE_NOTICE, request, catalog.officer_a)
    assert doc.number == "普城管协字〔2026〕第0001号"
    assert_in(
        text_of(doc),
        "协助通知书",
        "区房管局：",
        "需要贵单位协助查询房屋权属登记信息",
        "请提供3号楼101室的房屋权属登记信息。",
        "《中华人民共和国行政处罚法》第二十六条",
        "《上海市城市管理行政执法条例》第二十九条",
        "十日内",
        "2026年4月8日",
    )


# ---------------------------------------------------------------------------------------------
# Numbers


def test_numbers_run_per_kind_and_per_year(catalog: World):
    early = f.notified(catalog, at(2025, 12, 20))
    late = f.notified(catalog, at(2026, 1, 5))
    later = f.notified(catalog, at(2026, 1, 12))
    assert (
        generate(K.PENALTY_NOTICE, late, catalog.officer_a).number == "普城管告字〔2026〕第0001号"
    )
    assert (
        generate(K.PENALTY_NOTICE, early, catalog.officer_a).number == "普城管告字〔2025〕第0001号"
    )
    assert (
        generate(K.PENALTY_NOTICE, later, catalog.officer_a).number == "普城管告字〔2026〕第0002号"
    )
    # each kind has its own sequence
    assert (
        generate(K.FILING_APPROVAL, later, catalog.officer_a).number == "普城管立字〔2026〕第0001号"
    )
    assert NumberSequence.objects.get(name="document-penalty_notice", year=2026).value == 2


def test_the_prefix_is_the_bureau_setting(catalog: World, settings: Any):
    settings.XIAOQU_DOCUMENT_PREFIX = "静城管"
    case = f.filed(catalog, at(2026, 3, 3))
    assert (
        generate(K.FILING_APPROVAL, case, catalog.officer_a).number == "静城管立字〔2026〕第0001号"
    )


def test_regenerating_keeps_the_number_and_adds_a_version(catalog: World):
    case = f.notified(catalog, at(2026, 3, 3))
    other = f.notified(catalog, at(2026, 3, 4))
    first = generate(K.PENALTY_NOTICE, case, catalog.officer_a, at(2026, 3, 5, 11))
    generate(K.PENALTY_NOTICE, other, catalog.officer_a)
    again = generate(K.PENALTY_NOTICE, case, catalog.dispatcher, at(2026, 3, 6, 9))
    assert (again.number, again.version) == (first.number, 2)
    assert again.file.name != first.file.name and first.file.storage.exists(first.file.name)
    assert first.number in text_of(again)
    assert DocumentNumber.objects.filter(number=first.number).count() == 1
    events = [e for e in record_events(case) if e.action == "document_generated"]
    assert [(e.data["number"], e.data["version"]) for e in events] == [
        (first.number, 1),
        (first.number, 2),
    ]
    assert events[0].data["document"] == "行政处罚告知书"
    assert events[1].actor == catalog.dispatcher and events[1].data["sha256"] == again.sha256
    assert again.event == events[1]
    assert audit_verify()[2] == []  # the chains stay intact


def test_a_new_decision_after_reopening_carries_its_new_number(catalog: World):
    case = f.closed(catalog, at(2026, 3, 3))
    first = generate(K.PENALTY_DECISION, case, catalog.officer_a)
    officer = catalog.officer_a
    case = cases.case_reopen(
        case=case, actor=catalog.leader, reason="复核发现事实有误", at=at(2026, 3, 25)
    )
    case = cases.notice_issue(
        case=case, actor=officer, penalty=PenaltyKind.FINE, fine=1000, at=at(2026, 3, 26)
    )
    case = cases.waiver_record(case=case, actor=officer, at=at(2026, 3, 27))
    case = cases.case_decide(
        case=case,
        actor=officer,
        penalty=PenaltyKind.FINE,
        fine=1000,
        decision_text="重新作出决定",
        at=at(2026, 3, 28),
    )
    second = generate(K.PENALTY_DECISION, case, catalog.officer_a)
    assert second.number == case.decision_number != first.number
    assert second.version == 2


# ---------------------------------------------------------------------------------------------
# Stages and rights


@pytest.mark.parametrize(
    ("kind", "make", "reason"),
    [
        (K.PENALTY_NOTICE, "filed", "advance notice"),
        (K.HEARING_NOTICE, "notified", "No hearing has been scheduled"),
        (K.PENALTY_DECISION, "notified", "before the penalty decision"),
        (K.CLOSURE_REPORT, "decided", "before the case is closed"),
    ],
)
def test_a_case_document_is_refused_before_its_stage(
    catalog: World, kind: str, make: str, reason: str
):
    case = getattr(f, make)(catalog, at(2026, 3, 3))
    with translation.override("en"), pytest.raises(TransitionRefused, match=reason) as refused:
        generate(kind, case, catalog.officer_a)
    assert KINDS[kind].title in refused.value.reason  # the reason names the document in Chinese
    assert not Document.objects.exists() and not DocumentNumber.objects.exists()
    assert not NumberSequence.objects.filter(name=f"document-{kind}").exists()
    assert "document_generated" not in {e.action for e in record_events(case)}


def test_the_refusal_is_in_the_users_language(catalog: World):
    case = f.filed(catalog, at(2026, 3, 3))
    with translation.override("zh-hans"), pytest.raises(TransitionRefused) as refused:
        generate(K.PENALTY_DECISION, case, catalog.officer_a)
    assert "行政处罚决定书" in refused.value.reason and case.number in refused.value.reason


def test_no_rectification_notice_without_an_order(catalog: World):
    lead = f.dispatched_lead(catalog, at(2026, 3, 2))
    with translation.override("en"), pytest.raises(TransitionRefused, match="No rectification"):
        generate(K.RECTIFICATION_NOTICE, lead, catalog.officer_a)


def test_no_letter_for_a_withdrawn_referral_or_a_cancelled_request(catalog: World):
    referral = f.referral(catalog, at(2026, 4, 8))
    referral = referrals.referral_return(
        referral=referral, actor=catalog.liaison, reason="不属本局职责", at=at(2026, 4, 8, 12)
    )
    referral = referrals.referral_withdraw(
        referral=referral, actor=catalog.dispatcher, reason="误派", at=at(2026, 4, 8, 13)
    )
    with translation.override("en"), pytest.raises(TransitionRefused, match="taken back"):
        generate(K.REFERRAL_LETTER, referral, catalog.dispatcher)
    request = f.assistance(catalog, at(2026, 4, 9))
    request = referrals.assistance_cancel(
        request=request, actor=catalog.officer_a, reason="已自行查明", at=at(2026, 4, 9, 13)
    )
    with translation.override("en"), pytest.raises(TransitionRefused, match="cancelled"):
        generate(K.ASSISTANCE_NOTICE, request, catalog.officer_a)


def test_a_kind_belongs_to_its_record(catalog: World):
    lead = f.rectifying_lead(catalog, at(2026, 3, 2, 15))
    with pytest.raises(TransitionRefused):
        generate(K.PENALTY_DECISION, lead, catalog.officer_a)


@pytest.mark.parametrize("who", ["officer_b", "clerk_a", "member_a", "manager_a", "liaison"])
def test_only_the_bureau_generates(catalog: World, who: str):
    case = f.notified(catalog, at(2026, 3, 3))
    with pytest.raises(TransitionRefused):
        generate(K.PENALTY_NOTICE, case, getattr(catalog, who))
    assert not Document.objects.exists()


@pytest.mark.parametrize("who", ["officer_a", "dispatcher", "leader", "legal", "admin"])
def test_officers_of_the_subdistrict_and_the_command_centre_generate(catalog: World, who: str):
    case = f.notified(catalog, at(2026, 3, 3))
    assert generate(K.PENALTY_NOTICE, case, getattr(catalog, who)).version == 1


# ---------------------------------------------------------------------------------------------
# Templates


def test_default_templates_fill_without_error_and_name_cjk_fonts(db: Any):
    for kind in KINDS:
        content = default_template(kind)
        assert services.template_problem(kind, content) is None, kind
        styles = open_docx(io.BytesIO(content)).styles
        fonts = styles["Normal"].element.rPr.find(qn("w:rFonts"))
        assert fonts.get(qn("w:eastAsia")) == "仿宋"


def test_templates_are_written_when_first_needed_or_by_the_command(db: Any):
    assert not DocumentTemplate.objects.exists()
    template = services.template_active(K.PENALTY_NOTICE)
    assert template.is_default and template.file.storage.exists(template.file.name)
    out = io.StringIO()
    call_command("documents_init", stdout=out)
    assert DocumentTemplate.objects.filter(active=True).count() == len(KINDS)
    call_command("documents_init", stdout=out)  # again: nothing new
    assert DocumentTemplate.objects.count() == len(KINDS)


def test_a_replaced_template_is_used_and_the_default_can_be_restored(catalog: World):
    case = f.notified(catalog, at(2026, 3, 3))
    before = generate(K.PENALTY_NOTICE, case, catalog.officer_a)
    upload = f.docx_upload(
        "本局自定义告知书",
        "{{ number }}",
        "{{ party.name }}：拟处{{ notice.penalty_text }}",
        "{%p if notice.hearing_right %}",
        "可以要求听证",
        "{%p endif %}",
    )
    template = services.template_replace(kind=K.PENALTY_NOTICE, upload=upload, actor=catalog.admin)
    assert template.active and not template.is_default and template.uploaded_by == catalog.admin
    after = generate(K.PENALTY_NOTICE, case, catalog.officer_a)
    text = text_of(after)
    assert_in(text, "本局自定义告知书", before.number, "张某：拟处罚款人民币2000元")
    assert "可以要求听证" not in text
    assert after.template == template and before.template.is_default
    assert after.number == before.number
    restored = services.template_restore(kind=K.PENALTY_NOTICE, actor=catalog.admin)
    assert restored.is_default and restored.active
    assert DocumentTemplate.objects.filter(kind=K.PENALTY_NOTICE, active=True).get() == restored
    assert "第四十四条" in text_of(generate(K.PENALTY_NOTICE, case, catalog.officer_a))


def test_a_template_file_lost_from_storage_is_reported(catalog: World):
    case = f.filed(catalog, at(2026, 3, 3))
    template = services.template_active(K.FILING_APPROVAL)
    template.file.storage.delete(template.file.name)
    with translation.override("en"), pytest.raises(TransitionRefused, match="missing"):
        generate(K.FILING_APPROVAL, case, catalog.officer_a)
    services.template_restore(kind=K.FILING_APPROVAL, actor=catalog.admin)
    assert generate(K.FILING_APPROVAL, case, catalog.officer_a).version == 1


@pytest.mark.parametrize(
    ("paragraphs", "reason"),
    [
        (("{{ number }}", "{{ party.name "), "broken tag"),
        (("{{ number }}", "{% if party.name %}未结束"), "broken tag"),
        (("{{ number }}", "{{ case.nonexistent }}"), "does not exist"),
        (("{{ number }}", "{{ party.name.__class__ }}"), "may not use"),
        (("当事人：{{ party.name }}",), "number"),
    ],
)
def test_a_broken_template_is_refused_with_the_reason(
    catalog: World, paragraphs: tuple[str, ...], reason: str
):
    active = services.template_active(K.PENALTY_DECISION)
    with translation.override("en"), pytest.raises(ValidationError, match=reason):
        services.template_replace(
            kind=K.PENALTY_DECISION, upload=f.docx_upload(*paragraphs), actor=catalog.admin
        )
    assert DocumentTemplate.objects.get(kind=K.PENALTY_DECISION, active=True) == active
    assert DocumentTemplate.objects.filter(kind=K.PENALTY_DECISION).count() == 1


def test_only_word_documents_from_administrators(catalog: World):
    from django.core.files.uploadedfile import SimpleUploadedFile

    with translation.override("en"), pytest.raises(ValidationError, match="Word"):
        services.template_replace(
            kind=K.FILING_APPROVAL,
            upload=SimpleUploadedFile("模板.docx", b"not a zip file"),
            actor=catalog.admin,
        )
    with translation.override("en"), pytest.raises(ValidationError, match="docx"):
        services.template_replace(
            kind=K.FILING_APPROVAL,
            upload=f.docx_upload("{{ number }}", name="a.doc"),
            actor=catalog.admin,
        )
    with pytest.raises(TransitionRefused):
        services.template_replace(
            kind=K.FILING_APPROVAL, upload=f.docx_upload("{{ number }}"), actor=catalog.leader
        )


# ---------------------------------------------------------------------------------------------
# Contexts


def _shape(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _shape(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_shape(value[0])] if value else []
    return type(value).__name__


def _same_shape(real: Any, sample: Any, path: str = "") -> list[str]:
    if isinstance(sample, dict):
        if not isinstance(real, dict) or set(real) != set(sample):
            return [f"{path}: {sorted(set(real) ^ set(sample))}"]
        return [p for k in sample for p in _same_shape(real[k], sample[k], f"{path}.{k}")]
    if isinstance(sample, list):
        return _same_shape(real[0], sample[0], f"{path}[]") if real and sample else []
    return [] if type(real) is type(sample) else [f"{path}: {type(real)} vs {type(sample)}"]


def test_real_and_sample_contexts_have_the_same_fields(catalog: World):
    """A template validated against the sample never meets a missing field on a real record."""
    case = f.closed(catalog, at(2026, 3, 3))
    records = {
        "case": case,
        "lead": f.rectifying_lead(catalog, at(2026, 3, 2, 15)),
        "referral": f.referral(catalog, at(2026, 4, 8)),
        "assistance": f.assistance(catalog, at(2026, 4, 8)),
    }
    for key, record in records.items():
        real = RECORD_CONTEXTS[key](record)
        sample = SAMPLE_CONTEXTS[key]()
        assert _same_shape(_shape(real), _shape(sample)) == [], key


def test_a_record_with_empty_fields_still_fills_every_template(catalog: World):
    """A case just filed: no notice, no decision; its filing form has no empty-field errors."""
    case = f.filed(catalog, at(2026, 3, 3))
    doc = generate(K.FILING_APPROVAL, case, catalog.officer_a)
    assert doc.record_type == ContentType.objects.get_for_model(case)
