from django.contrib import admin

from .models import Estate, EstateAddress, OwnersCommittee, ProjectManager, PropertyCompany, Studio


class EstateAddressInline(admin.TabularInline):
    model = EstateAddress
    extra = 0


@admin.register(Estate)
class EstateAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "subdistrict",
        "committee",
        "households",
        "residents",
        "property_company",
        "is_pilot",
        "is_demo",
    )
    list_filter = ("subdistrict", "risk_grade", "is_pilot", "is_demo")
    search_fields = ("name", "aliases", "addresses__address")
    autocomplete_fields = ("subdistrict", "committee", "property_company", "project_manager")
    inlines = [EstateAddressInline]


@admin.register(PropertyCompany)
class PropertyCompanyAdmin(admin.ModelAdmin):
    list_display = ("name", "uscc", "contact", "phone", "is_demo")
    search_fields = ("name", "uscc")


@admin.register(ProjectManager)
class ProjectManagerAdmin(admin.ModelAdmin):
    list_display = ("name", "company", "phone")
    search_fields = ("name", "company__name")
    autocomplete_fields = ("company",)


@admin.register(OwnersCommittee)
class OwnersCommitteeAdmin(admin.ModelAdmin):
    list_display = ("estate", "chair", "phone", "term_start", "term_end")
    search_fields = ("estate__name", "chair")
    autocomplete_fields = ("estate",)


@admin.register(Studio)
class StudioAdmin(admin.ModelAdmin):
    list_display = ("name", "subdistrict", "leader", "phone")
    list_filter = ("subdistrict",)
    search_fields = ("name",)
    filter_horizontal = ("estates",)
