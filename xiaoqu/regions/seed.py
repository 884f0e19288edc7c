"""Base facts of the districts the platform serves: Putuo District, Shanghai, and its ten
subdistricts and towns.

Sources (facts, written here in the project's own form):
- district code, name, residents: 2020 seventh national population census (1,239,800), district
  area 55.5 km²;
- subdistrict codes: 2023 statistical division codes (national bureau of statistics);
- OpenStreetMap relation ids of the admin_level 8 boundaries; areas and centroids measured on
  those (simplified) polygons, so they are approximate.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from xiaoqu.regions.choices import SubdistrictKind
from xiaoqu.regions.models import District, Subdistrict
from xiaoqu.regions.services import SeedTally, district_ensure, subdistrict_ensure


@dataclass(frozen=True)
class DistrictFact:
    code: str
    name: str
    city: str
    residents: int
    residents_source: str
    area_km2: Decimal


@dataclass(frozen=True)
class SubdistrictFact:
    code: str
    name: str
    short_name: str  # the name used in everyday speech and in the names of its bodies
    slug: str  # pinyin, for user names and file names
    kind: str
    area_km2: Decimal
    osm_relation_id: int
    centroid: tuple[float, float]  # (latitude, longitude), WGS 84


PUTUO = DistrictFact(
    code="310107",
    name="普陀区",
    city="上海市",
    residents=1_239_800,
    residents_source="2020年第七次全国人口普查",
    area_km2=Decimal("55.50"),
)

_STREET, _TOWN = SubdistrictKind.STREET, SubdistrictKind.TOWN

# fmt: off
_SUBDISTRICT_ROWS = (
    # code,          name,          short,  slug,         kind,    km²,    OSM relation, centroid
    ("310107005000", "曹杨新村街道", "曹杨", "caoyang",    _STREET, "2.09",  14187873, (31.2403, 121.4021)),
    ("310107014000", "长风新村街道", "长风", "changfeng",  _STREET, "5.73",  14187872, (31.2301, 121.3975)),
    ("310107015000", "长寿路街道",   "长寿", "changshou",  _STREET, "4.03",  14187871, (31.2443, 121.4310)),
    ("310107016000", "甘泉路街道",   "甘泉", "ganquan",    _STREET, "2.33",  14187870, (31.2678, 121.4293)),
    ("310107017000", "石泉路街道",   "石泉", "shiquan",    _STREET, "3.53",  14187869, (31.2533, 121.4138)),
    ("310107020000", "宜川路街道",   "宜川", "yichuan",    _STREET, "2.21",  14187868, (31.2561, 121.4371)),
    ("310107021000", "真如镇街道",   "真如", "zhenru",     _STREET, "5.84",  14187866, (31.2621, 121.3891)),
    ("310107022000", "万里街道",     "万里", "wanli",      _STREET, "3.08",  14187867, (31.2736, 121.4007)),
    ("310107102000", "长征镇",       "长征", "changzheng", _TOWN,   "7.58",  14187865, (31.2382, 121.3698)),
    ("310107103000", "桃浦镇",       "桃浦", "taopu",      _TOWN,   "19.02", 14187864, (31.2843, 121.3592)),
)
# fmt: on

PUTUO_SUBDISTRICTS: tuple[SubdistrictFact, ...] = tuple(
    SubdistrictFact(code, name, short, slug, kind, Decimal(area), osm, centroid)
    for code, name, short, slug, kind, area, osm, centroid in _SUBDISTRICT_ROWS
)

SUBDISTRICT_FACTS: dict[str, SubdistrictFact] = {f.code: f for f in PUTUO_SUBDISTRICTS}


@dataclass
class RegionSeedResult:
    district: District
    subdistricts: list[Subdistrict]
    tally: SeedTally


def regions_seed() -> RegionSeedResult:
    """Create Putuo and its subdistricts, or complete them where fields are empty."""
    tally = SeedTally()
    district, outcome = district_ensure(
        code=PUTUO.code,
        name=PUTUO.name,
        city=PUTUO.city,
        residents=PUTUO.residents,
        residents_source=PUTUO.residents_source,
        area_km2=PUTUO.area_km2,
    )
    tally.add(outcome)
    subdistricts = []
    for fact in PUTUO_SUBDISTRICTS:
        subdistrict, outcome = subdistrict_ensure(
            district=district,
            code=fact.code,
            name=fact.name,
            kind=fact.kind,
            area_km2=fact.area_km2,
            osm_relation_id=fact.osm_relation_id,
        )
        tally.add(outcome)
        subdistricts.append(subdistrict)
    return RegionSeedResult(district=district, subdistricts=subdistricts, tally=tally)
