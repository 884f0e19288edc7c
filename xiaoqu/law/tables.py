from __future__ import annotations

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from .models import DeadlineRule, Provision, ReferralTarget, Statute, Threshold, ViolationType


class VerifiedColumn(tables.BooleanColumn):
    """Shows 待核实 for entries not confirmed from a primary text."""

    def __init__(self, **kwargs: object) -> None:
        kwargs.setdefault("verbose_name", _("verified"))
        super().__init__(**kwargs)

    def render(self, value: bool, record: object, bound_column: object) -> SafeString:
        if value:
            return format_html('<span class="text-success">{}</span>', _("verified"))
        return format_html('<span class="badge badge-unverified">{}</span>', _("To be verified"))

    def value(self, value: bool, record: object, bound_column: object) -> str:
        return str(_("verified") if value else _("To be verified"))


class ViolationTypeTable(tables.Table):
    name = tables.Column(linkify=True)
    penalty_provision = tables.Column(verbose_name=_("penalty provision"))
    enforcer = tables.Column(linkify=True)
    verified = VerifiedColumn()

    class Meta:
        model = ViolationType
        fields = (
            "code",
            "name",
            "penalty_provision",
            "fine_min",
            "fine_max",
            "enforcer",
            "effective_from",
            "effective_to",
            "verified",
        )
        order_by = ("sort_order",)


class ReferralTargetTable(tables.Table):
    code = tables.Column(linkify=True)
    department = tables.Column(linkify=True)
    verified = VerifiedColumn()

    class Meta:
        model = ReferralTarget
        fields = ("code", "department", "matters", "effective_from", "effective_to", "verified")


class DeadlineRuleTable(tables.Table):
    description = tables.Column(linkify=True)
    verified = VerifiedColumn()
    source = tables.Column(accessor="source_display", verbose_name=_("source"), orderable=False)

    class Meta:
        model = DeadlineRule
        fields = (
            "code",
            "description",
            "limit",
            "unit",
            "limit_if_ongoing",
            "extension",
            "source",
            "effective_from",
            "effective_to",
            "verified",
        )


class ThresholdTable(tables.Table):
    description = tables.Column(linkify=True)
    verified = VerifiedColumn()

    class Meta:
        model = Threshold
        fields = (
            "code",
            "description",
            "individual",
            "organisation",
            "source_title",
            "source_article",
            "effective_from",
            "effective_to",
            "verified",
        )


class StatuteTable(tables.Table):
    title = tables.Column(linkify=True)
    verified = VerifiedColumn()

    class Meta:
        model = Statute
        fields = ("code", "title", "version", "issuer", "effective_from", "verified")


class ProvisionTable(tables.Table):
    article = tables.Column(linkify=True, empty_values=())
    statute = tables.Column(linkify=True)
    text = tables.Column(verbose_name=_("text"))
    verified = VerifiedColumn()

    def render_article(self, value: str) -> str:
        return value or str(_("article not known"))

    def render_text(self, value: str) -> str:
        return value if len(value) <= 80 else f"{value[:80]}…"

    def value_text(self, value: str) -> str:
        return value

    class Meta:
        model = Provision
        fields = ("statute", "article", "text", "verified")
