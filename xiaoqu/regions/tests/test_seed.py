"""`xiaoqu seed`: Putuo and its ten subdistricts, idempotent, never overwriting edits."""

from __future__ import annotations

import csv
import json
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from xiaoqu.departments.models import Department
from xiaoqu.law.models import ViolationType
from xiaoqu.regions.models import District, Subdistrict
from xiaoqu.regions.seed import PUTUO_SUBDISTRICTS, regions_seed

pytestmark = pytest.mark.django_db

OFFICIAL_CODES = {
    "310107005000": "曹杨新村街道",
    "310107014000": "长风新村街道",
    "310107015000": "长寿路街道",
    "310107016000": "甘泉路街道",
    "310107017000": "石泉路街道",
    "310107020000": "宜川路街道",
    "310107021000": "真如镇街道",
    "310107022000": "万里街道",
    "310107102000": "长征镇",
    "310107103000": "桃浦镇",
}


def shared(relative: str) -> Path:
    path = Path(settings.XIAOQU_SHARED_DATA) / relative
    if not path.exists():
        pytest.skip(f"reference data not found: {path} (set XIAOQU_SHARED_DATA to ../shared/data)")
    return path


def run_seed() -> str:
    out = StringIO()
    call_command("seed", stdout=out)
    return out.getvalue()


def counts() -> tuple[int, ...]:
    return (
        District.objects.count(),
        Subdistrict.objects.count(),
        Department.objects.count(),
        ViolationType.objects.count(),
    )


def test_seed_writes_putuo_with_its_census_figures():
    run_seed()
    district = District.objects.get(code="310107")
    assert district.name == "普陀区"
    assert district.city == "上海市"
    assert district.residents == 1_239_800
    assert district.residents_source == "2020年第七次全国人口普查"
    assert district.area_km2 == Decimal("55.50")


def test_seed_writes_the_ten_subdistricts_with_their_official_codes():
    run_seed()
    subdistricts = Subdistrict.objects.filter(district__code="310107")
    assert dict(subdistricts.values_list("code", "name")) == OFFICIAL_CODES
    towns = set(subdistricts.filter(kind="town").values_list("name", flat=True))
    assert towns == {"长征镇", "桃浦镇"}
    assert all(sd.osm_relation_id and sd.area_km2 for sd in subdistricts)
    assert sum(sd.area_km2 for sd in subdistricts) == pytest.approx(Decimal("55.5"), abs=1)


def test_seed_is_idempotent():
    first_output = run_seed()
    first = counts()
    second_output = run_seed()
    assert counts() == first
    assert "新建11条" in first_output
    assert "新建0条，补全0条，未变11条" in second_output


def test_seed_keeps_an_administrators_edits_and_fills_empty_fields():
    regions_seed()
    District.objects.filter(code="310107").update(residents=1_250_000, residents_source="")
    Subdistrict.objects.filter(code="310107005000").update(area_km2=Decimal("2.14"))
    Subdistrict.objects.filter(code="310107103000").update(osm_relation_id=None)
    result = regions_seed()
    district = District.objects.get(code="310107")
    assert district.residents == 1_250_000
    assert district.residents_source == "2020年第七次全国人口普查"
    assert Subdistrict.objects.get(code="310107005000").area_km2 == Decimal("2.14")
    assert Subdistrict.objects.get(code="310107103000").osm_relation_id == 14187864
    assert result.tally.completed == 2
    assert result.tally.created == 0


def test_seed_summary_names_the_district():
    output = run_seed()
    assert "普陀区（310107）" in output
    assert "共10个街镇" in output


def test_subdistrict_facts_match_the_reference_table():
    path = shared("putuo/putuo_streets_reference.csv")
    with path.open(encoding="utf-8") as f:
        rows = {row["stat_code_2023"]: row for row in csv.DictReader(f)}
    assert set(rows) == {f.code for f in PUTUO_SUBDISTRICTS}
    for fact in PUTUO_SUBDISTRICTS:
        row = rows[fact.code]
        assert fact.name == row["name"]
        assert fact.kind == row["type"]
        assert fact.osm_relation_id == int(row["osm_relation_id"])
        assert fact.area_km2 == Decimal(row["approx_area_km2_from_simplified_osm"])


def test_subdistrict_centroids_match_the_reference_boundaries():
    path = shared("putuo/putuo_streets_osm_simplified.geojson")
    features = json.loads(path.read_text(encoding="utf-8"))["features"]
    centroids = {
        f["properties"]["name"]: tuple(f["properties"]["centroid_latlng"]) for f in features
    }
    for fact in PUTUO_SUBDISTRICTS:
        assert fact.centroid == pytest.approx(centroids[fact.name], abs=1e-4)
