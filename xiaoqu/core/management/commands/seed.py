"""`xiaoqu seed`: the base facts of Putuo District (district, subdistricts, departments and
the legal catalog). Idempotent: existing rows are completed where empty, never overwritten."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.translation import gettext as _

from xiaoqu.credit.seed import credit_seed
from xiaoqu.departments.seed import departments_seed
from xiaoqu.law.services import law_catalog_seed
from xiaoqu.regions.seed import regions_seed
from xiaoqu.regions.services import SeedTally


class Command(BaseCommand):
    help = "Write the base facts: Putuo District, its subdistricts, departments and legal catalog."

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            regions = regions_seed()
            departments = departments_seed(district=regions.district)
            law = law_catalog_seed(district=regions.district)
            credit = credit_seed()  # after the catalog: its rules cite the catalog's provisions
        district = regions.district
        self.stdout.write(
            _("Base facts of %(name)s (%(code)s), %(city)s: %(n)d subdistricts and towns.")
            % {
                "name": district.name,
                "code": district.code,
                "city": district.city,
                "n": len(regions.subdistricts),
            }
        )
        if district.residents:
            self.stdout.write(
                _("  Residents: %(residents)s (%(source)s); area: %(area)s km².")
                % {
                    "residents": f"{district.residents:,}",
                    "source": district.residents_source,
                    "area": district.area_km2,
                }
            )
        self._line(_("District and subdistricts"), regions.tally)
        self._line(_("Departments"), departments)
        self.stdout.write(
            _("  %(what)s: %(created)d created, %(updated)d updated, %(unchanged)d unchanged.")
            % {"what": _("Legal catalog"), **law}
        )
        self.stdout.write(
            _("  %(what)s: %(created)d created, %(updated)d updated, %(unchanged)d unchanged.")
            % {"what": _("Credit scoring rules"), **credit}
        )

    def _line(self, what: str, tally: SeedTally) -> None:
        self.stdout.write(
            _("  %(what)s: %(created)d created, %(completed)d completed, %(unchanged)d unchanged.")
            % {
                "what": what,
                "created": tally.created,
                "completed": tally.completed,
                "unchanged": tally.unchanged,
            }
        )
