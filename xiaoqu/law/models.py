"""The legal catalog: statutes, provisions, violation types, referral targets, deadline rules,
thresholds and the working-day calendar. All of it is data that legal staff maintain; entries
carry effective dates and a `verified` flag (unverified entries show as 待核实)."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xiaoqu.core.jurisdiction import PUBLIC, RestrictedManager, RestrictedQuerySet

from .choices import ChangeAction, DeadlineUnit


class EffectiveQuerySet(RestrictedQuerySet):
    def effective(self, on: dt.date | None = None) -> EffectiveQuerySet:
        """Entries in force on a date (today by default)."""
        day = on or timezone.localdate()
        return self.filter(
            Q(effective_from__lte=day), Q(effective_to__isnull=True) | Q(effective_to__gt=day)
        )


EffectiveManager = models.Manager.from_queryset(EffectiveQuerySet)


class Effective(models.Model):
    effective_from = models.DateField(_("effective from"))
    effective_to = models.DateField(
        _("effective until"), null=True, blank=True, help_text=_("Empty while in force.")
    )
    verified = models.BooleanField(
        _("verified"),
        default=False,
        help_text=_("Confirmed from a primary text. Unverified entries are shown as 待核实."),
    )

    # The field that identifies one entry across its versions (None: one version only).
    version_key: ClassVar[str | None] = "code"
    # Set on an unsaved new version: the version it replaces (closed on its start date).
    replaces: Effective | None = None

    class Meta:
        abstract = True

    @property
    def in_force(self) -> bool:
        today = timezone.localdate()
        return self.effective_from <= today and (
            self.effective_to is None or self.effective_to > today
        )

    def versions(self) -> models.QuerySet[Any]:
        """Every version of this entry, newest first (itself only if not versioned)."""
        manager = type(self)._default_manager
        if self.version_key is None:
            return manager.filter(pk=self.pk)
        return manager.filter(**{self.version_key: getattr(self, self.version_key)}).order_by(
            "-effective_from"
        )

    def clean(self) -> None:
        super().clean()
        start, end = self.effective_from, self.effective_to
        if start is None:
            return
        if end is not None and end <= start:
            raise ValidationError({"effective_to": _("The end date must be after the start date.")})
        if self.replaces is not None and start <= self.replaces.effective_from:
            raise ValidationError(
                {
                    "effective_from": _(
                        "A new version must start after the current version (%(date)s)."
                    )
                    % {"date": self.replaces.effective_from.isoformat()}
                }
            )
        if self.version_key is None or not getattr(self, self.version_key):
            return
        others = type(self)._default_manager.filter(
            **{self.version_key: getattr(self, self.version_key)}
        )
        others = others.exclude(
            pk__in=[pk for pk in (self.pk, getattr(self.replaces, "pk", None)) if pk]
        )
        if end is not None:
            others = others.filter(effective_from__lt=end)
        others = others.filter(Q(effective_to__isnull=True) | Q(effective_to__gt=start))
        clash = others.order_by("effective_from").first()
        if clash is not None:
            raise ValidationError(
                _(
                    "Another version of this entry is in force from %(start)s to %(end)s; "
                    "periods of versions must not overlap."
                )
                % {
                    "start": clash.effective_from.isoformat(),
                    "end": clash.effective_to.isoformat() if clash.effective_to else "—",
                }
            )


class Statute(Effective):
    code = models.SlugField(_("code"), max_length=20, unique=True)
    title = models.CharField(_("title"), max_length=200)
    version = models.CharField(_("version"), max_length=200, blank=True)
    issuer = models.CharField(_("issued by"), max_length=100, blank=True)
    note = models.TextField(_("note"), blank=True)

    objects = EffectiveManager()
    jurisdiction = PUBLIC
    version_key = None

    class Meta:
        verbose_name = _("statute")
        verbose_name_plural = _("statutes")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"《{self.title}》"

    def get_absolute_url(self) -> str:
        return reverse("law:statute_detail", args=[self.pk])


class Provision(models.Model):
    statute = models.ForeignKey(
        Statute, on_delete=models.PROTECT, related_name="provisions", verbose_name=_("statute")
    )
    article = models.CharField(
        _("article"),
        max_length=30,
        blank=True,
        help_text=_("e.g. 56(2)(1) or 57/58; empty while the article number is not known"),
    )
    text = models.TextField(_("text"), blank=True)
    note = models.TextField(_("note"), blank=True)
    verified = models.BooleanField(_("verified"), default=False)

    objects = RestrictedManager()
    jurisdiction = PUBLIC

    class Meta:
        verbose_name = _("provision")
        verbose_name_plural = _("provisions")
        ordering = ["statute__code", "article"]
        constraints = [
            models.UniqueConstraint(fields=["statute", "article"], name="provision_unique_article"),
        ]

    def __str__(self) -> str:
        if not self.article:
            return _("%(statute)s (article not known)") % {"statute": self.statute}
        return _("%(statute)s article %(article)s") % {
            "statute": self.statute,
            "article": self.article,
        }

    def get_absolute_url(self) -> str:
        return reverse("law:provision_detail", args=[self.pk])


class ViolationType(Effective):
    """One of the key violation types, with its legal basis and penalty range."""

    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=60)
    description = models.TextField(_("description"), blank=True)
    prohibitions = models.ManyToManyField(
        Provision,
        related_name="prohibiting_types",
        blank=True,
        verbose_name=_("prohibiting provisions"),
    )
    penalty_provision = models.ForeignKey(
        Provision,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="penalising_types",
        verbose_name=_("penalty provision"),
    )
    penalty_text = models.TextField(_("penalty"), blank=True)
    fine_min = models.DecimalField(
        _("minimum fine (yuan)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    fine_max = models.DecimalField(
        _("maximum fine (yuan)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    fine_unit_note = models.CharField(
        _("fine unit"),
        max_length=100,
        blank=True,
        help_text=_("e.g. per square metre, or a multiple of compensation"),
    )
    enforcer_note = models.TextField(_("enforcer"), blank=True)
    enforcer = models.ForeignKey(
        "departments.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="enforced_types",
        verbose_name=_("enforcing department"),
    )
    assisting_departments = models.ManyToManyField(
        "departments.Department",
        related_name="assisted_types",
        blank=True,
        verbose_name=_("assisting departments"),
    )
    assisting_note = models.TextField(_("assistance"), blank=True)
    deadline_codes = models.JSONField(
        _("specific deadline rules"),
        default=list,
        blank=True,
        help_text=_("Codes of the deadline rules that apply to this violation type only."),
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = EffectiveManager()
    jurisdiction = PUBLIC

    class Meta:
        verbose_name = _("violation type")
        verbose_name_plural = _("violation types")
        ordering = ["sort_order", "code", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "effective_from"], name="violation_type_unique_version"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("law:violationtype_detail", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        if (
            self.fine_min is not None
            and self.fine_max is not None
            and self.fine_min > self.fine_max
        ):
            raise ValidationError(
                {"fine_max": _("The maximum fine must not be less than the minimum fine.")}
            )


class ReferralTarget(Effective):
    """A matter that is not the bureau's and the department it is referred (移交) to."""

    code = models.SlugField(_("code"), max_length=30)
    department = models.ForeignKey(
        "departments.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referral_targets",
        verbose_name=_("department"),
    )
    matters = models.TextField(_("matters"))

    objects = EffectiveManager()
    jurisdiction = PUBLIC

    class Meta:
        verbose_name = _("referral target")
        verbose_name_plural = _("referral targets")
        ordering = ["code", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "effective_from"], name="referral_target_unique_version"
            ),
        ]

    def __str__(self) -> str:
        return str(self.department or self.code)

    def get_absolute_url(self) -> str:
        return reverse("law:referraltarget_detail", args=[self.pk])


class DeadlineRule(Effective):
    """A procedural time limit the workflows compute and watch."""

    code = models.SlugField(_("code"), max_length=40)
    description = models.CharField(_("what"), max_length=300)
    limit = models.PositiveIntegerField(_("limit"), validators=[MinValueValidator(1)])
    unit = models.CharField(_("unit"), max_length=20, choices=DeadlineUnit.choices)
    limit_if_ongoing = models.PositiveIntegerField(
        _("limit while ongoing"),
        null=True,
        blank=True,
        help_text=_("A shorter limit that applies while the act is still going on."),
    )
    extension = models.PositiveIntegerField(_("extension"), null=True, blank=True)
    extension_note = models.CharField(_("extension note"), max_length=300, blank=True)
    source_title = models.CharField(_("source"), max_length=200)
    source_article = models.CharField(_("article"), max_length=30, blank=True)
    note = models.TextField(_("note"), blank=True)
    provision = models.ForeignKey(
        Provision,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deadline_rules",
        verbose_name=_("provision"),
    )

    objects = EffectiveManager()
    jurisdiction = PUBLIC

    class Meta:
        verbose_name = _("deadline rule")
        verbose_name_plural = _("deadline rules")
        ordering = ["code", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "effective_from"], name="deadline_rule_unique_version"
            ),
        ]

    def __str__(self) -> str:
        return self.description

    def get_absolute_url(self) -> str:
        return reverse("law:deadlinerule_detail", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        if (
            self.limit_if_ongoing is not None
            and self.limit is not None
            and self.limit_if_ongoing >= self.limit
        ):
            raise ValidationError(
                {"limit_if_ongoing": _("The limit while ongoing must be shorter than the limit.")}
            )
        if self.extension is not None and self.extension < 1:
            raise ValidationError({"extension": _("An extension must be at least 1.")})

    @property
    def source_display(self) -> str:
        if self.source_article:
            return _("%(source)s article %(article)s") % {
                "source": self.source_title,
                "article": self.source_article,
            }
        return self.source_title


class Threshold(Effective):
    """An amount that changes the procedure (simplified procedure, legal review)."""

    code = models.SlugField(_("code"), max_length=40)
    description = models.CharField(_("what"), max_length=300)
    individual = models.DecimalField(
        _("for a person (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    organisation = models.DecimalField(
        _("for an organisation (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    source_title = models.CharField(_("source"), max_length=200)
    source_article = models.CharField(_("article"), max_length=30, blank=True)
    note = models.TextField(_("note"), blank=True)

    objects = EffectiveManager()
    jurisdiction = PUBLIC

    class Meta:
        verbose_name = _("threshold")
        verbose_name_plural = _("thresholds")
        ordering = ["code", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "effective_from"], name="threshold_unique_version"
            ),
        ]

    def __str__(self) -> str:
        return self.description

    def get_absolute_url(self) -> str:
        return reverse("law:threshold_detail", args=[self.pk])


class CalendarDay(models.Model):
    """An override of the working-day calendar: a holiday, or a make-up working day (调休)."""

    date = models.DateField(_("date"), unique=True)
    is_workday = models.BooleanField(_("working day"))
    name = models.CharField(_("name"), max_length=50, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    objects = RestrictedManager()
    jurisdiction = PUBLIC

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return f"{reverse('law:calendar')}?year={self.date.year}"


class CatalogChange(models.Model):
    """One change to the legal catalog or the calendar: who, when, what, before and after.

    Written by the services in the same transaction as the change; never edited."""

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="catalog_changes",
        verbose_name=_("by"),
    )
    model = models.CharField(_("kind of entry"), max_length=50)
    object_id = models.PositiveBigIntegerField(_("entry id"))
    object_repr = models.CharField(_("entry"), max_length=200)
    action = models.CharField(_("action"), max_length=20, choices=ChangeAction.choices)
    before = models.JSONField(_("before"), null=True, blank=True, encoder=DjangoJSONEncoder)
    after = models.JSONField(_("after"), null=True, blank=True, encoder=DjangoJSONEncoder)

    objects = RestrictedManager()
    jurisdiction = PUBLIC

    class Meta:
        verbose_name = _("catalog change")
        verbose_name_plural = _("catalog changes")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["model", "object_id"], name="catalog_change_entry")]

    def __str__(self) -> str:
        return f"{self.object_repr} · {self.get_action_display()}"

    def changed_fields(self) -> list[tuple[str, Any, Any]]:
        """(field, before, after) for every field whose value differs."""
        before = self.before or {}
        after = self.after or {}
        keys = list(dict.fromkeys([*before, *after]))
        return [(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)]
