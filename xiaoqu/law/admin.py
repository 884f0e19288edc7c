from django.contrib import admin

from .models import (
    CalendarDay,
    DeadlineRule,
    Provision,
    ReferralTarget,
    Statute,
    Threshold,
    ViolationType,
)


@admin.register(Statute)
class StatuteAdmin(admin.ModelAdmin):
    list_display = ("code", "title", "version", "effective_from", "verified")
    search_fields = ("code", "title")


@admin.register(Provision)
class ProvisionAdmin(admin.ModelAdmin):
    list_display = ("statute", "article", "verified")
    list_filter = ("statute", "verified")
    search_fields = ("article", "text")


@admin.register(ViolationType)
class ViolationTypeAdmin(admin.ModelAdmin):
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
    filter_horizontal = ("prohibitions", "assisting_departments")


@admin.register(ReferralTarget)
class ReferralTargetAdmin(admin.ModelAdmin):
    list_display = ("code", "department", "effective_from")


@admin.register(DeadlineRule)
class DeadlineRuleAdmin(admin.ModelAdmin):
    list_display = ("code", "description", "limit", "unit", "effective_from", "verified")
    list_filter = ("unit", "verified")


@admin.register(Threshold)
class ThresholdAdmin(admin.ModelAdmin):
    list_display = ("code", "description", "individual", "organisation", "verified")


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ("date", "is_workday", "name", "note")
    list_filter = ("is_workday",)
