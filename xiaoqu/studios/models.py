"""The community studio's own records (城管社区工作室): its members, its activities and the
reports its members make from their phones. The studio itself is base data (`estates.Studio`);
a member report is a complaint of the loop (`intake.Complaint`, channel studio) that a
`StudioReport` row links to the member who made it and marks as an early sign (苗头)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from xiaoqu.audit.models import ChainedRecord
from xiaoqu.core.jurisdiction import Jurisdiction, RestrictedManager

from .choices import ActivityKind, MemberKind, ReportKind

# A studio's records: the district sees all, a subdistrict its studios, a studio member their
# own studio; property companies and departments none.
STUDIO_SCOPE = Jurisdiction(
    district="studio__subdistrict__district",
    subdistrict="studio__subdistrict",
    studio="studio",
)


class StudioMember(ChainedRecord):
    """A person who takes part in a studio: committee staff, owners' committee, building heads,
    resident representatives, the property company, officers. Optionally a platform user."""

    studio = models.ForeignKey(
        "estates.Studio",
        on_delete=models.PROTECT,
        related_name="members",
        verbose_name=_("community studio"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=MemberKind.choices)
    name = models.CharField(_("name"), max_length=50)
    organisation = models.CharField(
        _("organisation"),
        max_length=100,
        blank=True,
        help_text=_("Committee, company or building the member comes from."),
    )
    estate = models.ForeignKey(
        "estates.Estate",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("estate"),
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="studio_membership",
        verbose_name=_("platform account"),
    )
    active = models.BooleanField(_("active"), default=True)
    joined_on = models.DateField(_("joined"), null=True, blank=True)
    left_on = models.DateField(_("left"), null=True, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    objects = RestrictedManager()
    jurisdiction = STUDIO_SCOPE

    class Meta:
        verbose_name = _("studio member")
        verbose_name_plural = _("studio members")
        ordering = ["studio", "kind", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("studios:studio_detail", args=[self.studio_id]) + f"#member-{self.pk}"


class StudioActivity(ChainedRecord):
    """A meeting, joint patrol, legal class, mediation or reception day of a studio."""

    studio = models.ForeignKey(
        "estates.Studio",
        on_delete=models.PROTECT,
        related_name="activities",
        verbose_name=_("community studio"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ActivityKind.choices)
    title = models.CharField(_("title"), max_length=100)
    starts_at = models.DateTimeField(_("starts"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    estate = models.ForeignKey(
        "estates.Estate",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("estate"),
    )
    notes = models.TextField(_("notes"), blank=True)
    outcome = models.TextField(
        _("outcome"), blank=True, help_text=_("What came of it, recorded afterwards.")
    )
    participants = models.PositiveSmallIntegerField(_("participants"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by"),
    )
    is_demo = models.BooleanField(_("demo data"), default=False)

    objects = RestrictedManager()
    jurisdiction = STUDIO_SCOPE

    class Meta:
        verbose_name = _("studio activity")
        verbose_name_plural = _("studio activities")
        ordering = ["-starts_at", "-pk"]
        indexes = [models.Index(fields=["studio", "starts_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("studios:activity_edit", args=[self.pk])


class StudioReport(models.Model):
    """A report a studio member made (from a phone): the complaint it became, and its kind."""

    studio = models.ForeignKey(
        "estates.Studio",
        on_delete=models.PROTECT,
        related_name="reports",
        verbose_name=_("community studio"),
    )
    complaint = models.OneToOneField(
        "intake.Complaint",
        on_delete=models.PROTECT,
        related_name="studio_report",
        verbose_name=_("complaint"),
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="studio_reports",
        verbose_name=_("reported by"),
    )
    member = models.ForeignKey(
        StudioMember,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("studio member"),
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=ReportKind.choices, default=ReportKind.EARLY_SIGN
    )
    created_at = models.DateTimeField(_("reported"))
    is_demo = models.BooleanField(_("demo data"), default=False)

    objects = RestrictedManager()
    jurisdiction = STUDIO_SCOPE

    class Meta:
        verbose_name = _("studio report")
        verbose_name_plural = _("studio reports")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return str(self.complaint)
