from django.contrib import admin

from .models import District, NeighbourhoodCommittee, Subdistrict


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "city", "residents")
    search_fields = ("code", "name")
    exclude = ("boundary",)


@admin.register(Subdistrict)
class SubdistrictAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "district", "area_km2")
    list_filter = ("kind", "district")
    search_fields = ("code", "name")
    exclude = ("boundary",)


@admin.register(NeighbourhoodCommittee)
class NeighbourhoodCommitteeAdmin(admin.ModelAdmin):
    list_display = ("name", "subdistrict", "code", "phone")
    list_filter = ("subdistrict",)
    search_fields = ("name", "code")
