"""The admin shows the catalog read-only: changes are made in the application, where they
are validated and recorded in the catalog's history (CatalogChange)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import (
    CalendarDay,
    CatalogChange,
    DeadlineRule,
    Provision,
    ReferralTarget,
    Statute,
    Threshold,
    ViolationType,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Statute)
class StatuteAdmin(ReadOnlyAdmin):
    list_display = ("code", "title", "version", "effective_from", "verified")
    search_fields = ("code", "title")


@admin.register(Provision)
class ProvisionAdmin(ReadOnlyAdmin):
    list_display = ("statute", "article", "verified")
    list_filter = ("statute", "verified")
    search_fields = ("article", "text")


@admin.register(ViolationType)
class ViolationTypeAdmin(ReadOnlyAdmin):
    list_display = (
        "code",
        "name",
        "fine_min",
        "fine_max",
        "effective_from",
        "effective_to",
        "verified",
    )
    list_filter = ("verified",)
    search_fields = ("code", "name")


@admin.register(ReferralTarget)
class ReferralTargetAdmin(ReadOnlyAdmin):
    list_display = ("code", "department", "effective_from", "effective_to")


@admin.register(DeadlineRule)
class DeadlineRuleAdmin(ReadOnlyAdmin):
    list_display = ("code", "description", "limit", "unit", "effective_from", "verified")
    list_filter = ("unit", "verified")


@admin.register(Threshold)
class ThresholdAdmin(ReadOnlyAdmin):
    list_display = ("code", "description", "individual", "organisation", "verified")


@admin.register(CalendarDay)
class CalendarDayAdmin(ReadOnlyAdmin):
    list_display = ("date", "is_workday", "name", "note")
    list_filter = ("is_workday",)


@admin.register(CatalogChange)
class CatalogChangeAdmin(ReadOnlyAdmin):
    list_display = ("at", "actor", "model", "object_repr", "action")
    list_filter = ("model", "action")
    search_fields = ("object_repr",)
