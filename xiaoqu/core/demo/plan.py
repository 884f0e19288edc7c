"""The demo plan: a deterministic, database-free description of Putuo demo data.

The plan always describes the full demo (about 1,000 estates); a smaller demo takes, in each
subdistrict, the first estates of the plan's order, so that a small demo is a subset of the
full one and loading the full demo afterwards only adds what is missing. Residents and
households are demo figures (演示数据): scaled so that the full plan sums to the district's
census population, split between subdistricts by the demo shares below (no official
per-subdistrict census figure is at hand)."""

from __future__ import annotations

import datetime as dt
import math
import random
import re
from dataclasses import dataclass, field
from decimal import Decimal

from xiaoqu.estates.validators import USCC_CHARSET, uscc_check_char
from xiaoqu.regions.seed import PUTUO, PUTUO_SUBDISTRICTS, SubdistrictFact

from .names import (
    COMPANY_FORMS,
    COMPANY_WORDS,
    EAST_WEST,
    ORDINALS,
    ROADS,
    VILLAGE_STEMS,
    person_name,
    road_stem,
    weighted,
)

DEMO_SEED = 20260107
DEMO_ESTATES = 1000
DEMO_COMPANIES = 80
DEMO_MANAGERS = 250
KM_PER_DEGREE_LAT = 111.0


@dataclass(frozen=True)
class SubdistrictProfile:
    """Demo parameters of a subdistrict (not facts)."""

    estates: int
    resident_share: float
    committees: int
    studios: int
    pilots: int
    eras: tuple[tuple[int, int, int], ...]  # (first year, last year, weight) of build years


# Older housing in 曹杨 (the first workers' village, 1951), 长寿 and 宜川; newest in 桃浦.
DEMO_PROFILES: dict[str, SubdistrictProfile] = {
    "310107005000": SubdistrictProfile(
        90, 0.085, 19, 3, 2, ((1951, 1965, 5), (1966, 1985, 3), (1986, 1999, 2), (2000, 2015, 1))
    ),
    "310107014000": SubdistrictProfile(
        95, 0.105, 20, 3, 1, ((1960, 1985, 2), (1986, 1999, 3), (2000, 2015, 4), (2016, 2022, 1))
    ),
    "310107015000": SubdistrictProfile(
        105, 0.095, 20, 3, 2, ((1950, 1979, 4), (1980, 1999, 4), (2000, 2015, 2))
    ),
    "310107016000": SubdistrictProfile(
        90, 0.085, 22, 2, 1, ((1956, 1979, 3), (1980, 1999, 5), (2000, 2015, 2))
    ),
    "310107017000": SubdistrictProfile(
        90, 0.085, 22, 2, 1, ((1958, 1979, 3), (1980, 1999, 5), (2000, 2015, 2))
    ),
    "310107020000": SubdistrictProfile(
        90, 0.080, 22, 3, 2, ((1952, 1979, 4), (1980, 1999, 4), (2000, 2012, 2))
    ),
    "310107021000": SubdistrictProfile(
        110, 0.115, 27, 4, 2, ((1970, 1989, 2), (1990, 2005, 4), (2006, 2020, 3))
    ),
    "310107022000": SubdistrictProfile(
        70, 0.085, 16, 2, 1, ((1995, 2005, 3), (2006, 2015, 5), (2016, 2022, 1))
    ),
    "310107102000": SubdistrictProfile(
        135, 0.145, 26, 4, 2, ((1980, 1995, 2), (1996, 2010, 5), (2011, 2023, 3))
    ),
    "310107103000": SubdistrictProfile(
        125, 0.120, 21, 3, 2, ((1985, 1999, 2), (2000, 2012, 4), (2013, 2024, 4))
    ),
}

# Name patterns by era: (pattern, weight). "village" is a numbered village (曹杨一村).
NAME_PATTERNS: dict[str, tuple[tuple[str, int], ...]] = {
    "old": (("village", 5), ("新村", 4), ("小区", 2), ("大楼", 1)),
    "mid": (
        ("小区", 4),
        ("新村", 1),
        ("公寓", 2),
        ("苑", 2),
        ("大楼", 1),
        ("village", 1),
        ("方位苑", 1),
    ),
    "new": (
        ("花苑", 3),
        ("家园", 3),
        ("公寓", 2),
        ("苑", 2),
        ("花园", 2),
        ("小区", 1),
        ("雅苑", 1),
        ("佳苑", 1),
        ("名邸", 1),
        ("华庭", 1),
        ("方位苑", 2),
        ("嘉名苑", 2),
    ),
}
DIRECTIONS = "东西南北"
FINE_WORDS = "景锦馨怡康和秀丽欣瑞"
# Size of an estate by name pattern: (median residents, spread of the log-normal).
SIZES: dict[str, tuple[float, float]] = {
    "village": (2600, 0.35),
    "新村": (2000, 0.4),
    "小区": (1300, 0.45),
    "大楼": (260, 0.4),
    "公寓": (600, 0.45),
    "苑": (1100, 0.45),
    "家园": (2200, 0.45),
}
NEW_SIZE = (1700, 0.5)
OWNERS_COMMITTEE_ODDS = {"old": 0.45, "mid": 0.6, "new": 0.78}


@dataclass
class AddressPlan:
    road: str
    number: str
    address: str


@dataclass
class OwnersCommitteePlan:
    chair: str
    members: int
    term_start: dt.date
    term_end: dt.date


@dataclass
class EstatePlan:
    subdistrict_code: str
    name: str
    pattern: str
    era: str
    stem: str
    build_year: int
    addresses: list[AddressPlan]
    latitude: Decimal
    longitude: Decimal
    weight: float
    aliases: list[str] = field(default_factory=list)
    residents: int = 0
    households: int = 0
    buildings: int = 0
    committee: str = ""
    company_uscc: str | None = None
    manager: str | None = None
    owners_committee: OwnersCommitteePlan | None = None
    is_pilot: bool = False

    @property
    def road(self) -> str:
        return self.addresses[0].road


@dataclass
class CommitteePlan:
    subdistrict_code: str
    name: str
    address: str


@dataclass
class StudioPlan:
    subdistrict_code: str
    name: str
    address: str
    leader: str
    established: dt.date
    committees: list[str]
    estates: list[str]


@dataclass
class CompanyPlan:
    uscc: str
    name: str
    legal_representative: str
    contact: str
    address: str
    managers: list[str] = field(default_factory=list)
    estate_count: int = 0


@dataclass
class DemoPlan:
    seed: int
    estates: dict[str, list[EstatePlan]]  # per subdistrict code, in the order a demo takes them
    committees: list[CommitteePlan]
    studios: list[StudioPlan]
    companies: list[CompanyPlan]

    @property
    def estate_total(self) -> int:
        return sum(len(v) for v in self.estates.values())

    def select(self, n: int) -> list[EstatePlan]:
        """The estates of a demo of `n` estates: in each subdistrict, the first ones of the
        plan's order, shared out in proportion (largest remainder), at least one each."""
        total = self.estate_total
        n = max(0, min(n, total))
        codes = list(self.estates)
        quotas = {c: n * len(self.estates[c]) / total for c in codes}
        counts = {c: math.floor(q) for c, q in quotas.items()}
        by_remainder = sorted(codes, key=lambda c: (-(quotas[c] - counts[c]), codes.index(c)))
        for c in by_remainder[: n - sum(counts.values())]:
            counts[c] += 1
        if n >= len(codes):
            for c in codes:
                if counts[c] == 0:
                    donor = max(codes, key=lambda d: counts[d])
                    counts[donor] -= 1
                    counts[c] = 1
        return [e for c in codes for e in self.estates[c][: counts[c]]]


def org_code_check_char(body: str) -> str:
    """Check character of an organisation code (GB 11714) for its first eight characters."""
    weights = (3, 7, 9, 10, 5, 8, 4, 2)
    total = sum(int(c, 36) * w for c, w in zip(body, weights, strict=True))
    check = 11 - total % 11
    return "X" if check == 10 else "0" if check == 11 else str(check)


def demo_uscc(rng: random.Random, *, region: str = PUTUO.code) -> str:
    """A well-formed unified social credit code of a company registered in `region`: 9
    (market regulator) 1 (enterprise), the region, a 2015-style organisation code (MA…)
    with its GB 11714 check character, then the GB 32100 check character."""
    org = "MA1" + "".join(rng.choice(USCC_CHARSET) for _ in range(5))
    org += org_code_check_char(org)
    body = f"91{region}{org}"
    return body + uscc_check_char(body)


def _build_year(rng: random.Random, profile: SubdistrictProfile) -> int:
    first, last, _ = rng.choices(profile.eras, weights=[w for *_, w in profile.eras])[0]
    return rng.randint(first, last)


def _era(year: int) -> str:
    return "old" if year < 1980 else "mid" if year < 2000 else "new"


def _estate_name(
    rng: random.Random, *, code: str, era: str, used: set[str]
) -> tuple[str, str, str, str | None]:
    """(name, pattern, stem, road) of a new estate name not in `used`."""
    roads = ROADS[code]
    villages = VILLAGE_STEMS[code]
    for _ in range(200):
        pattern = weighted(rng, NAME_PATTERNS[era])
        chosen = rng.choice(roads)
        road: str | None = chosen
        stem = road_stem(chosen)
        if pattern == "village":
            if villages and rng.random() < 0.6:
                stem, road = rng.choice(villages), None
            number = ORDINALS[min(int(rng.expovariate(0.35)), 8)]
            name = f"{stem}{number}村"
            if rng.random() < 0.2:
                name += rng.choice(EAST_WEST)
        elif pattern == "新村" and rng.random() < 0.2:
            name = f"{stem}新村{rng.choice(EAST_WEST)}"
        elif pattern in ("小区", "大楼") and rng.random() < 0.35:
            name = f"{road}{pattern}"
        elif pattern == "方位苑" and stem[-1] not in DIRECTIONS:
            name = f"{stem}{rng.choice(DIRECTIONS)}苑"
        elif pattern in ("方位苑", "嘉名苑"):
            name = f"{stem}{rng.choice(FINE_WORDS)}苑"
        else:
            name = f"{stem}{pattern}"
        if name not in used:
            used.add(name)
            return name, pattern, stem, road
    for phase in "二三四五六七八九":  # fall back on a later phase of some estate
        name = f"{stem}{pattern if pattern != 'village' else '新村'}{phase}期"
        if name not in used:
            used.add(name)
            return name, pattern, stem, road
    raise RuntimeError("demo estate names exhausted")


def _addresses(
    rng: random.Random, *, code: str, road: str | None, pattern: str, used: set[str]
) -> list[AddressPlan]:
    roads = ROADS[code]
    count = rng.choices((1, 2, 3), weights=(6, 3, 1))[0]
    if pattern == "大楼":
        count = 1
    result: list[AddressPlan] = []
    first = road or rng.choice(roads)
    while len(result) < count:
        street = first if not result or rng.random() < 0.6 else rng.choice(roads)
        number = str(rng.randint(1, 1999))
        address = f"{street}{number}{'号' if pattern == '大楼' else '弄'}"
        if address in used:
            continue
        used.add(address)
        result.append(AddressPlan(street, number, address))
    return result


def _location(rng: random.Random, fact: SubdistrictFact) -> tuple[Decimal, Decimal]:
    lat0, lng0 = fact.centroid
    sigma_km = math.sqrt(float(fact.area_km2)) / 3.2
    dy = max(-2.0, min(2.0, rng.gauss(0, 1))) * sigma_km
    dx = max(-2.0, min(2.0, rng.gauss(0, 1))) * sigma_km
    lat = lat0 + dy / KM_PER_DEGREE_LAT
    lng = lng0 + dx / (KM_PER_DEGREE_LAT * math.cos(math.radians(lat0)))
    return Decimal(f"{lat:.6f}"), Decimal(f"{lng:.6f}")


def _term(rng: random.Random) -> tuple[dt.date, dt.date]:
    start = dt.date(2019, 1, 1) + dt.timedelta(days=rng.randint(0, 6 * 365 + 180))
    end = dt.date(start.year + 5, start.month, min(start.day, 28)) - dt.timedelta(days=1)
    return start, end


def _aliases(rng: random.Random, estate: EstatePlan, taken: set[str]) -> list[str]:
    candidates: list[str] = []
    name = estate.name
    for i, ordinal in enumerate(ORDINALS):
        marker = f"{ordinal}村"
        if marker in name and rng.random() < 0.6:
            candidates.append(name.replace(marker, f"{i + 1}村"))
    for side in EAST_WEST:
        if name.endswith(side) and rng.random() < 0.5:
            candidates.append(name[:-1])
    if estate.pattern in ("花苑", "雅苑", "佳苑", "家园", "花园") and rng.random() < 0.3:
        candidates.append(f"{estate.stem}{estate.pattern[-1]}")
    if estate.pattern == "大楼" and rng.random() < 0.3:
        candidates.append(name.replace("大楼", "大厦"))
    if rng.random() < 0.12 and estate.addresses[0].address.endswith("弄"):
        candidates.append(f"{estate.addresses[0].address}小区")
    result = []
    for alias in candidates:
        if alias != name and alias not in taken:
            taken.add(alias)
            result.append(alias)
    return result


def _size(rng: random.Random, pattern: str) -> float:
    median, spread = SIZES.get(pattern, NEW_SIZE)
    return median * math.exp(rng.gauss(0, spread))


def _households_per_building(rng: random.Random, estate: EstatePlan) -> float:
    if estate.pattern in ("village", "新村"):
        return rng.uniform(30, 60)
    if estate.pattern == "公寓":
        return rng.uniform(60, 150)
    if estate.era == "new":
        return rng.uniform(70, 150)
    return rng.uniform(40, 90)


def _committees(
    rng: random.Random, code: str, estates: list[EstatePlan], count: int, names: set[str]
) -> list[CommitteePlan]:
    """Cut the subdistrict's estates, ordered by road, into `count` neighbourhoods, named
    after their first estate or road (names unique in the district, in `names`)."""
    ordered = sorted(estates, key=lambda e: (e.road, e.build_year, e.name))
    bounds = [round(i * len(ordered) / count) for i in range(count + 1)]
    committees = []
    for i in range(count):
        chunk = ordered[bounds[i] : bounds[i + 1]]
        first = chunk[0]
        base = re.sub(r"[二三四五六七八九]期$", "", first.name)
        for side in EAST_WEST:
            base = base.removesuffix(side)
        by_estate = f"{base}居委会"
        by_road = f"{road_stem(first.road)}居委会"
        options = [by_estate, by_road]
        if first.pattern not in ("village", "新村") and rng.random() < 0.5:
            options.reverse()
        options += [f"{road_stem(first.road)}第{o}居委会" for o in ORDINALS]
        options += [f"{road_stem(e.road)}第{o}居委会" for e in chunk for o in ORDINALS]
        name = next(o for o in options if o not in names)
        names.add(name)
        office = first.addresses[0].address
        if office.endswith("弄"):
            office += f"{rng.randint(1, 40)}号"
        committees.append(CommitteePlan(code, name, office))
        for estate in chunk:
            estate.committee = name
    return committees


def _studios(
    rng: random.Random,
    code: str,
    count: int,
    committees: list[CommitteePlan],
    estates: list[EstatePlan],
) -> list[StudioPlan]:
    studios = []
    for j in range(count):
        start = j * len(committees) // count
        covered = [c.name for c in committees[start : start + rng.choice((2, 2, 3))]]
        base = covered[0].removesuffix("居委会")
        if "第" in base:  # 延长西第一居委会 → 延长西路城管社区工作室
            base = base.split("第")[0] + "路"
        studios.append(
            StudioPlan(
                subdistrict_code=code,
                name=f"{base}城管社区工作室",
                address=committees[start].address,
                leader=person_name(rng),
                established=dt.date(2019, 3, 1) + dt.timedelta(days=rng.randint(0, 5 * 365)),
                committees=covered,
                estates=[e.name for e in estates if e.committee in covered],
            )
        )
    return studios


def _order(
    rng: random.Random, estates: list[EstatePlan], studios: list[StudioPlan]
) -> list[EstatePlan]:
    """The order a demo takes estates in: random, except that the first ones cover every
    studio, so that even a small demo has estates in each studio."""
    order = list(estates)
    rng.shuffle(order)
    front: list[EstatePlan] = []
    for studio in studios:
        rep = next(
            e for e in order if e.committee in studio.committees and all(e is not f for f in front)
        )
        front.append(rep)
    return front + [e for e in order if all(e is not f for f in front)]


def _companies(rng: random.Random, all_estates: list[EstatePlan]) -> list[CompanyPlan]:
    names: set[str] = set()
    codes: set[str] = set()
    companies: list[CompanyPlan] = []
    all_roads = [r for roads in ROADS.values() for r in roads]
    while len(companies) < DEMO_COMPANIES:
        word = rng.choice(COMPANY_WORDS)
        name = weighted(rng, COMPANY_FORMS).format(w=word)
        uscc = demo_uscc(rng)
        if word in names or uscc in codes:
            continue
        names.add(word)
        codes.add(uscc)
        companies.append(
            CompanyPlan(
                uscc=uscc,
                name=name,
                legal_representative=person_name(rng),
                contact=person_name(rng),
                address=f"上海市普陀区{rng.choice(all_roads)}{rng.randint(1, 1500)}号",
            )
        )
    # A few large companies manage many estates, most manage a handful.
    weights = [1 / (k + 1) ** 0.6 for k in range(len(companies))]
    managed: dict[str, list[EstatePlan]] = {c.uscc: [] for c in companies}
    for estate in all_estates:
        if rng.random() < 0.05:  # self-managed or run by the subdistrict
            continue
        company = rng.choices(companies, weights=weights)[0]
        estate.company_uscc = company.uscc
        managed[company.uscc].append(estate)
    assigned = sum(len(v) for v in managed.values())
    for company in companies:
        company.estate_count = len(managed[company.uscc])
        n = max(1, round(DEMO_MANAGERS * company.estate_count / assigned))
        company.managers = []
        while len(company.managers) < n:
            candidate = person_name(rng)
            if candidate not in company.managers:
                company.managers.append(candidate)
    surplus = sum(len(c.managers) for c in companies) - DEMO_MANAGERS
    for company in sorted(companies, key=lambda c: -len(c.managers)):
        if surplus == 0:
            break
        if surplus > 0 and len(company.managers) > 1:
            company.managers.pop()
            surplus -= 1
        elif surplus < 0:
            company.managers.append(f"{person_name(rng)}{len(company.managers)}")
            surplus += 1
    for company in companies:
        for i, estate in enumerate(managed[company.uscc]):
            estate.manager = company.managers[i % len(company.managers)]
    return companies


def demo_plan(*, seed: int = DEMO_SEED) -> DemoPlan:
    """The full demo of Putuo for a random seed; the same seed gives the same plan."""
    rng = random.Random(seed)
    used_names: set[str] = set()
    used_addresses: set[str] = set()
    estates_by_code: dict[str, list[EstatePlan]] = {}
    committees: list[CommitteePlan] = []
    studios: list[StudioPlan] = []
    committee_names: set[str] = set()
    for fact in PUTUO_SUBDISTRICTS:
        code = fact.code
        profile = DEMO_PROFILES[code]
        estates = []
        for _ in range(profile.estates):
            year = _build_year(rng, profile)
            era = _era(year)
            name, pattern, stem, road = _estate_name(rng, code=code, era=era, used=used_names)
            addresses = _addresses(rng, code=code, road=road, pattern=pattern, used=used_addresses)
            latitude, longitude = _location(rng, fact)
            estate = EstatePlan(
                subdistrict_code=code,
                name=name,
                pattern=pattern,
                era=era,
                stem=stem,
                build_year=year,
                addresses=addresses,
                latitude=latitude,
                longitude=longitude,
                weight=_size(rng, pattern),
            )
            if rng.random() < OWNERS_COMMITTEE_ODDS[era]:
                start, end = _term(rng)
                estate.owners_committee = OwnersCommitteePlan(
                    chair=person_name(rng),
                    members=rng.choice((5, 7, 7, 9)),
                    term_start=start,
                    term_end=end,
                )
            estates.append(estate)
        sd_committees = _committees(rng, code, estates, profile.committees, committee_names)
        sd_studios = _studios(rng, code, profile.studios, sd_committees, estates)
        ordered = _order(rng, estates, sd_studios)
        for estate in ordered[: profile.pilots]:
            estate.is_pilot = True
        target = PUTUO.residents * profile.resident_share
        total_weight = sum(e.weight for e in ordered)
        for estate in ordered:
            estate.residents = max(20, round(target * estate.weight / total_weight))
            estate.households = max(8, round(estate.residents / rng.uniform(2.3, 2.9)))
            if estate.pattern == "大楼":
                estate.buildings = 1 if estate.households <= 200 else 2
            else:
                per_building = _households_per_building(rng, estate)
                estate.buildings = max(1, round(estate.households / per_building))
        estates_by_code[code] = ordered
        committees += sd_committees
        studios += sd_studios
    all_estates = [e for v in estates_by_code.values() for e in v]
    taken = set(used_names)
    for estate in all_estates:
        estate.aliases = _aliases(rng, estate, taken)
    companies = _companies(rng, all_estates)
    return DemoPlan(
        seed=seed,
        estates=estates_by_code,
        committees=committees,
        studios=studios,
        companies=companies,
    )
