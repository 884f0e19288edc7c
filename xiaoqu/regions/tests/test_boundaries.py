"""`xiaoqu import-boundaries`: matching features to the district and its subdistricts."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from xiaoqu.regions.models import District, Subdistrict
from xiaoqu.regions.seed import regions_seed
from xiaoqu.regions.services import (
    OSM_ATTRIBUTION,
    MissReason,
    Outcome,
    boundaries_import,
    name_base,
)

pytestmark = pytest.mark.django_db

SQUARE = {
    "type": "Polygon",
    "coordinates": [[[121.40, 31.24], [121.41, 31.24], [121.41, 31.25], [121.40, 31.24]]],
}


def feature(geometry: Any = SQUARE, **properties: Any) -> dict[str, Any]:
    return {"type": "Feature", "properties": properties, "geometry": geometry}


def collection(*features: dict[str, Any]) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": list(features)}


def shared(relative: str) -> Path:
    path = Path(settings.XIAOQU_SHARED_DATA) / relative
    if not path.exists():
        pytest.skip(f"reference data not found: {path} (set XIAOQU_SHARED_DATA to ../shared/data)")
    return path


@pytest.fixture
def district() -> District:
    return regions_seed().district


@pytest.mark.parametrize(
    ("name", "base"),
    [
        ("真如镇街道", "真如"),
        ("真如镇", "真如"),
        ("曹杨新村街道", "曹杨新村"),
        ("长征镇人民政府", "长征"),
        ("万里街道办事处", "万里"),
        (" 桃浦 镇 ", "桃浦"),
        ("镇", "镇"),
    ],
)
def test_name_base_drops_the_suffixes_sources_disagree_on(name: str, base: str):
    assert name_base(name) == base


def test_features_match_by_code_in_any_code_property(district: District):
    report = boundaries_import(
        collection=collection(
            feature(code="310107005000", name="whatever"),
            feature(adcode=310107014),  # nine-digit township code
            feature(stat_code="310107103000"),
            feature(adcode=310107, name="普陀"),
        ),
        district=district,
        source_name="codes.geojson",
    )
    assert [(m.target.name, m.matched_by) for m in report.matched] == [
        ("曹杨新村街道", "code"),
        ("长风新村街道", "code"),
        ("桃浦镇", "code"),
        ("普陀区", "code"),
    ]
    assert report.unmatched == []
    assert Subdistrict.objects.get(code="310107005000").boundary == SQUARE
    assert District.objects.get(code="310107").boundary == SQUARE


def test_features_match_by_name_with_or_without_suffixes(district: District):
    report = boundaries_import(
        collection=collection(
            feature(name="真如镇"),
            feature(name="万里"),
            feature(name="长征镇人民政府"),
            feature(name="曹杨新村街道"),
        ),
        district=district,
        source_name="names.geojson",
    )
    assert [m.target.name for m in report.matched] == [
        "真如镇街道",
        "万里街道",
        "长征镇",
        "曹杨新村街道",
    ]
    assert {m.matched_by for m in report.matched} == {"name"}


def test_unmatched_features_are_reported_with_a_reason(district: District):
    report = boundaries_import(
        collection=collection(
            feature(code="310105", name="长宁区"),
            feature(name="江宁路街道"),
            feature(geometry=None, name="宜川路街道"),
            feature(geometry={"type": "Point", "coordinates": [121.4, 31.2]}, name="甘泉路街道"),
            feature(name="石泉路街道"),
            feature(name="石泉路"),
        ),
        district=district,
        source_name="mixed.geojson",
    )
    assert [m.target.name for m in report.matched] == ["石泉路街道"]
    assert [(u.label, u.reason) for u in report.unmatched] == [
        ("长宁区", MissReason.OTHER_DISTRICT),
        ("江宁路街道", MissReason.NO_MATCH),
        ("宜川路街道", MissReason.NO_GEOMETRY),
        ("甘泉路街道", MissReason.NO_GEOMETRY),
        ("石泉路", MissReason.DUPLICATE),
    ]
    assert Subdistrict.objects.get(name="宜川路街道").boundary is None


def test_source_and_openstreetmap_attribution(district: District):
    boundaries_import(
        collection=collection(
            feature(name="曹杨新村街道", source="example/towns.json (OSM admin_level=8)"),
            feature(name="桃浦镇"),
            feature(name="长征镇", osm_id=123),
        ),
        district=district,
        source_name="towns.geojson",
    )
    sources = dict(Subdistrict.objects.values_list("name", "boundary_source"))
    assert sources["曹杨新村街道"] == f"example/towns.json (OSM admin_level=8); {OSM_ATTRIBUTION}"
    assert sources["桃浦镇"] == "towns.geojson"
    assert sources["长征镇"] == f"towns.geojson; {OSM_ATTRIBUTION}"


def test_source_option_and_forced_attribution(district: District):
    boundaries_import(
        collection=collection(feature(name="桃浦镇", source="ignored")),
        district=district,
        source_name="towns.geojson",
        source="区规划资源局 2024",
        osm=True,
    )
    assert Subdistrict.objects.get(name="桃浦镇").boundary_source == (
        f"区规划资源局 2024; {OSM_ATTRIBUTION}"
    )


def test_import_is_idempotent(district: District):
    data = collection(feature(name="桃浦镇"), feature(name="长征镇"))
    first = boundaries_import(collection=data, district=district, source_name="a.geojson")
    second = boundaries_import(collection=data, district=district, source_name="a.geojson")
    assert {m.outcome for m in first.matched} == {Outcome.UPDATED}
    assert {m.outcome for m in second.matched} == {Outcome.UNCHANGED}
    assert second.changed == 0


def test_command_reports_matched_and_unmatched(district: District, tmp_path: Path):
    path = tmp_path / "towns.geojson"
    path.write_text(
        json.dumps(collection(feature(name="桃浦镇"), feature(name="不存在街道"))),
        encoding="utf-8",
    )
    out = StringIO()
    call_command("import_boundaries", str(path), stdout=out)
    text = out.getvalue()
    assert "已匹配1个要素，未匹配1个" in text
    assert "不存在街道" in text
    assert "桃浦镇 → 桃浦镇" in text


def test_command_rejects_what_is_not_geojson(district: District, tmp_path: Path):
    path = tmp_path / "bad.geojson"
    path.write_text("not json", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import_boundaries", str(path), stdout=StringIO())
    path.write_text(json.dumps({"type": "Topology"}), encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import_boundaries", str(path), stdout=StringIO())
    with pytest.raises(CommandError):
        call_command("import_boundaries", str(tmp_path / "missing.geojson"), stdout=StringIO())


def test_command_needs_a_seeded_district(db: Any, tmp_path: Path):
    path = tmp_path / "towns.geojson"
    path.write_text(json.dumps(collection(feature(name="桃浦镇"))), encoding="utf-8")
    with pytest.raises(CommandError, match="seed"):
        call_command("import_boundaries", str(path), stdout=StringIO())


def test_shared_osm_boundaries_match_all_ten_subdistricts(district: District):
    path = shared("putuo/putuo_streets_osm_simplified.geojson")
    out = StringIO()
    call_command("import_boundaries", str(path), stdout=out)
    assert "已匹配10个要素，未匹配0个" in out.getvalue()
    subdistricts = Subdistrict.objects.filter(district=district)
    assert subdistricts.count() == 10
    for sd in subdistricts:
        assert sd.boundary is not None
        assert sd.boundary["type"] == "MultiPolygon"
        assert sd.boundary_source.endswith(OSM_ATTRIBUTION)
        assert "zhubeilife/shanghai-housing-map" in sd.boundary_source
    again = StringIO()
    call_command("import_boundaries", str(path), stdout=again)
    assert "写入0个边界，10个已是最新" in again.getvalue()


def test_shared_district_outline_goes_to_the_district(district: District):
    path = shared("putuo/putuo_district_datav.geojson")
    call_command("import_boundaries", str(path), stdout=StringIO())
    district.refresh_from_db()
    assert district.boundary is not None
    assert district.boundary["type"] == "MultiPolygon"
    assert district.boundary_source == "putuo_district_datav.geojson"
    assert not Subdistrict.objects.filter(boundary__isnull=False).exists()
