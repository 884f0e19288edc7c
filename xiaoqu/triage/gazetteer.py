"""Estate gazetteer: finds the estate a complaint is about from its text and address field.

Exact names, aliases and unambiguous abbreviations are found by a scan indexed on each
term's first two characters; lane addresses (梅川路1199弄, 桂巷路1175号) through a road index;
typos and homophones only when nothing exact was found, on candidates anchored by a shared
character bigram or pinyin syllable pair, never over every estate per window. The building
and room ("spot") are extracted separately for repeat detection."""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

# Suffixes whose removal gives a name people use for short (梅川小区 → 梅川).
TYPE_SUFFIXES: tuple[str, ...] = (
    "小区",
    "新村",
    "花园",
    "公寓",
    "家园",
    "花苑",
    "佳苑",
    "雅苑",
    "大楼",
    "华庭",
    "名邸",
    "苑",
)
SECTION_SUFFIXES: tuple[str, ...] = (
    "东区",
    "西区",
    "南区",
    "北区",
    "中区",
    "一期",
    "二期",
    "三期",
    "四期",
    "五期",
)
# After a name, these mean a part of the estate: 梅川小区东区, 梅川小区二期.
_SECTION_AFTER = re.compile(r"^(?:[东西南北中]区|[一二三四五六七八九\d]期)")
_ROAD_AFTER = ("路", "街", "公路", "大道")
# A short name ending so is an estate's even when a road follows (梅岭北大楼路灯杆).
_ESTATE_END = (*TYPE_SUFFIXES, "村", "区", "园", "庭", "邸", "楼", "厦", "期")
_LANE = re.compile(r"(\d+)\s*(弄|号)")
_LANE_AHEAD = re.compile(r"\d+\s*弄")
_ADDRESS = re.compile(r"^(.*?)(\d+)(弄|号)")
_CN_DIGITS = {
    "零": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}

MAX_ANCHOR_SHARE = 100
CONF_LANE_ADDRESS = 0.99
CONF_NAME = 0.98
CONF_LANE_TEXT = 0.97
CONF_ALIAS = 0.95
CONF_ABBR = 0.9
CONF_LANE_FUZZY = 0.85
CONF_HOMOPHONE = 0.82
CONF_TYPO = 0.75
AMBIGUOUS_FACTOR = 0.5
CONF_AMBIGUOUS = 0.45  # at most, when two estates are equally likely

_PINYIN: dict[str, str] = {}


def pinyin_of(ch: str) -> str:
    """Toneless pinyin of one character (the character itself when it has none), cached."""
    py = _PINYIN.get(ch)
    if py is None:
        from pypinyin import lazy_pinyin

        py = lazy_pinyin(ch)[0] if "\u4e00" <= ch <= "\u9fff" else ch
        _PINYIN[ch] = py
    return py


def clean(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


def cn_number(s: str) -> int | None:
    """Small Chinese numerals (三, 十二, 二十一) or digits as an int."""
    if s.isdigit():
        return int(s)
    if not s:
        return None
    if "十" in s:
        left, _, right = s.partition("十")
        tens = _CN_DIGITS.get(left, 0) if left else 1
        ones = _CN_DIGITS.get(right, 0) if right else 0
        return tens * 10 + ones
    value = 0
    for ch in s:
        if ch not in _CN_DIGITS:
            return None
        value = value * 10 + _CN_DIGITS[ch]
    return value


@dataclass(frozen=True)
class Spot:
    building: str = ""
    room: str = ""


_NUM = r"(\d+|[一二两三四五六七八九十]+)"
_BUILDING_ROOM = re.compile(_NUM + r"\s*(?:号楼|幢|栋|号|#)\s*(\d{3,4})\s*室?")
_BUILDING = re.compile(_NUM + r"\s*(?:号楼|幢|栋)")
_LANE_BUILDING = re.compile(r"弄\s*(\d+)\s*号")
_ROOM = re.compile(r"(\d{3,4})\s*室")


def spot_of(text: str, address: str = "") -> Spot:
    """Building and room named in a complaint (address field first), or blanks."""
    building = room = ""
    for source in (clean(address), clean(text)):
        if not source:
            continue
        m = _BUILDING_ROOM.search(source)
        if m:
            b = cn_number(m.group(1))
            building = building or (str(b) if b is not None else "")
            room = room or m.group(2)
        if not building:
            m2 = _BUILDING.search(source) or _LANE_BUILDING.search(source)
            if m2:
                b = cn_number(m2.group(1))
                building = str(b) if b is not None else ""
        if not room:
            m3 = _ROOM.search(source)
            if m3:
                room = m3.group(1)
    return Spot(building, room)


@dataclass
class EstateEntry:
    id: int | None
    name: str
    subdistrict: str
    aliases: list[str] = field(default_factory=list)
    addresses: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class EstateMatch:
    estate_id: int | None
    name: str
    subdistrict: str
    confidence: float
    reason: str


NO_MATCH = EstateMatch(None, "", "", 0.0, "未识别到小区")


@dataclass
class _Term:
    text: str
    entries: tuple[int, ...]
    kind: str  # name | alias | abbr
    pinyin: tuple[str, ...]


@dataclass
class _Evidence:
    confidence: float
    entries: tuple[int, ...]
    reason: str
    kind: str = ""  # name | alias | abbr | lane | fuzzy
    span: tuple[int, int] = (0, 0)
    in_address: bool = False


def _strip(name: str, suffixes: Iterable[str]) -> str | None:
    for s in suffixes:
        if name.endswith(s) and len(name) - len(s) >= 2:
            return name[: -len(s)]
    return None


class Gazetteer:
    def __init__(self, entries: Sequence[EstateEntry]) -> None:
        self.entries = list(entries)
        self.roads: set[str] = set()
        # (road, number, kind) → entry indexes
        self.lanes: dict[tuple[str, str, str], set[int]] = defaultdict(set)
        # number → [(road, kind)] for road typos
        self.lane_numbers: dict[str, set[tuple[str, str]]] = defaultdict(set)
        for i, e in enumerate(self.entries):
            for address in e.addresses:
                m = _ADDRESS.match(clean(address))
                if m and m.group(1):
                    road, number, kind = m.group(1), m.group(2), m.group(3)
                    self.roads.add(road)
                    self.lanes[(road, number, kind)].add(i)
                    self.lane_numbers[number].add((road, kind))
        self._max_road = max((len(r) for r in self.roads), default=0)
        self.terms: dict[str, _Term] = {}
        self._build_terms()
        self._by_prefix: dict[str, list[_Term]] = defaultdict(list)
        # Anchors of the typo search: each bigram of a name and each pair of characters one
        # apart (梅…小 of 梅川小区), so that one wrong character leaves at least one anchor.
        # Anchors shared by very many names (小区, 新村) are left out.
        self._anchors: dict[str, list[tuple[_Term, int]]] = defaultdict(list)
        self._by_pinyin: dict[tuple[str, str], list[_Term]] = defaultdict(list)
        anchor_count: dict[str, int] = defaultdict(int)
        for term in self.terms.values():
            for key, _j in _anchor_keys(term.text):
                anchor_count[key] += 1
        for term in self.terms.values():
            self._by_prefix[term.text[:2]].append(term)
            self._by_pinyin[(term.pinyin[0], term.pinyin[1])].append(term)
            if len(term.text) >= 3:
                for key, j in _anchor_keys(term.text):
                    if anchor_count[key] <= MAX_ANCHOR_SHARE:
                        self._anchors[key].append((term, j))
        for terms in self._by_prefix.values():
            terms.sort(key=lambda t: -len(t.text))

    # -- construction -----------------------------------------------------------------------
    @classmethod
    def from_plan(cls, plan_estates: Iterable[Any]) -> Gazetteer:
        return cls(
            [
                EstateEntry(
                    id=None,
                    name=e.name,
                    subdistrict=e.subdistrict_code,
                    aliases=list(e.aliases),
                    addresses=[a.address for a in e.addresses],
                )
                for e in plan_estates
            ]
        )

    @classmethod
    def from_db(cls, district: Any = None) -> Gazetteer:
        from xiaoqu.estates.models import Estate

        qs = Estate.objects.all().select_related("subdistrict").prefetch_related("addresses")
        if district is not None:
            qs = qs.filter(district=district)
        return cls(
            [
                EstateEntry(
                    id=e.pk,
                    name=e.name,
                    subdistrict=e.subdistrict.code if e.subdistrict else "",
                    aliases=e.alias_list,
                    addresses=[a.address for a in e.addresses.all()],
                )
                for e in qs
            ]
        )

    def _build_terms(self) -> None:
        exact: dict[str, tuple[str, set[int]]] = {}
        for i, e in enumerate(self.entries):
            for text, kind in [(e.name, "name"), *((a, "alias") for a in e.aliases)]:
                t = clean(text)
                if len(t) < 2:
                    continue
                if t in exact:
                    _kind, ids = exact[t]
                    ids.add(i)
                    if kind == "name":
                        exact[t] = ("name", ids)
                else:
                    exact[t] = (kind, {i})
        abbr: dict[str, set[int]] = defaultdict(set)
        for i, e in enumerate(self.entries):
            for full in [e.name, *e.aliases]:
                full = clean(full)
                base = _strip(full, SECTION_SUFFIXES)
                stems = [full] + ([base] if base else [])
                for stem in list(stems):
                    short = _strip(stem, TYPE_SUFFIXES)
                    if short:
                        stems.append(short)
                    if stem.endswith(("路小区", "路大楼")):
                        stems.append(stem.replace("路", "", 1))  # 兰田路小区 → 兰田小区
                for s in stems[1:]:
                    if (
                        len(s) >= 2
                        and s not in exact
                        and not s.endswith(_ROAD_AFTER)
                        and s not in self.roads
                    ):
                        abbr[s].add(i)
        for t, (kind, ids) in exact.items():
            self.terms[t] = self._term(t, tuple(sorted(ids)), kind)
        for t, ids in abbr.items():
            # An abbreviation shared by many estates names none of them; two or three
            # estates sharing a longer one are kept as an ambiguous mention.
            if len(ids) == 1 or (len(ids) <= 3 and len(t) >= 3):
                self.terms[t] = self._term(t, tuple(sorted(ids)), "abbr")

    @staticmethod
    def _term(text: str, entries: tuple[int, ...], kind: str) -> _Term:
        return _Term(text, entries, kind, tuple(pinyin_of(c) for c in text))

    # -- matching ---------------------------------------------------------------------------
    def match(self, text: str, address: str = "") -> EstateMatch:
        evidence: list[_Evidence] = []
        addr = clean(address)
        body = clean(text)
        if addr:
            evidence += self._lanes(addr, in_address=True)
            evidence += self._exact(addr, boost=0.01, in_address=True)
        evidence += self._lanes(body, in_address=False)
        evidence += self._exact(body)
        if not evidence:
            if addr:
                evidence += self._fuzzy(addr, in_address=True)
            evidence += self._fuzzy(body)
        elif all(ev.kind == "abbr" for ev in evidence):
            # A short name may be part of a mistyped longer one (武宁 in 武宁二材西区):
            # a typo match whose window covers the short name replaces it.
            fuzzy = self._fuzzy(body, pinyin=False)
            if addr:
                fuzzy += self._fuzzy(addr, in_address=True, pinyin=False)
            for fz in fuzzy:
                covered = [
                    ev
                    for ev in evidence
                    if ev.in_address == fz.in_address
                    and not set(fz.entries) <= set(ev.entries)
                    and fz.span[0] <= ev.span[0]
                    and ev.span[1] <= fz.span[1]
                    and fz.span[1] - fz.span[0] > ev.span[1] - ev.span[0]
                ]
                if covered:
                    evidence = [ev for ev in evidence if ev not in covered] + [fz]
        if not evidence:
            return NO_MATCH
        return self._decide(evidence)

    def _exact(self, text: str, boost: float = 0.0, *, in_address: bool = False) -> list[_Evidence]:
        hits: list[tuple[int, int, _Term]] = []
        prefix = self._by_prefix
        for i in range(len(text) - 1):
            terms = prefix.get(text[i : i + 2])
            if not terms:
                continue
            for term in terms:
                if text.startswith(term.text, i):
                    end = i + len(term.text)
                    if (
                        term.kind != "name"
                        and not term.text.endswith(_ESTATE_END)
                        and (text.startswith(_ROAD_AFTER, end) or _LANE_AHEAD.match(text, end))
                    ):
                        continue  # a short name that is part of a road's name
                    hits.append((i, end, term))
                    break
        out = []
        longest_end = -1
        for _s, e, term in sorted(hits, key=lambda h: (h[0], -h[1])):
            if e <= longest_end:
                continue  # inside a longer hit
            longest_end = max(longest_end, e)
            conf = {"name": CONF_NAME, "alias": CONF_ALIAS, "abbr": CONF_ABBR}[term.kind]
            what = {"name": "名称", "alias": "别名", "abbr": "简称"}[term.kind]
            reason = f"{what}“{term.text}”"
            if _SECTION_AFTER.match(text[e:]):
                reason += f"（{text[e : e + 2]}）"
            out.append(
                _Evidence(
                    conf + boost, term.entries, reason, term.kind, (_s, e), in_address=in_address
                )
            )
        return out

    def _lanes(self, text: str, *, in_address: bool) -> list[_Evidence]:
        out: list[_Evidence] = []
        if not self.roads:
            return out
        for m in _LANE.finditer(text):
            number, kind = m.group(1), m.group(2)
            start = m.start()
            before = text[max(0, start - self._max_road) : start]
            road = next(
                (before[k:] for k in range(len(before) - 1) if before[k:] in self.roads), None
            )
            conf = CONF_LANE_ADDRESS if in_address else CONF_LANE_TEXT
            if road is not None:
                ids = self.lanes.get((road, number, kind))
                label = "弄号" if kind == "弄" else "门牌"
                if not ids and kind == "号":
                    ids = self.lanes.get((road, number, "弄"))
                    conf -= 0.05
                if ids:
                    out.append(
                        _Evidence(
                            conf,
                            tuple(sorted(ids)),
                            f"{label}“{road}{number}{kind}”",
                            "lane",
                            (start - len(road), m.end()),
                            in_address,
                        )
                    )
                continue
            # An unknown road before a known lane number: a typo or homophone of the road.
            for cand_road, cand_kind in self.lane_numbers.get(number, ()):
                if cand_kind != kind:
                    continue
                window = before[-len(cand_road) :]
                if len(window) == len(cand_road) and _close(window, cand_road):
                    ids = self.lanes[(cand_road, number, kind)]
                    out.append(
                        _Evidence(
                            CONF_LANE_FUZZY,
                            tuple(sorted(ids)),
                            f"近似弄号“{window}{number}{kind}”≈“{cand_road}{number}{kind}”",
                            "lane",
                            (start - len(window), m.end()),
                            in_address,
                        )
                    )
        return out

    def _fuzzy(
        self, text: str, *, in_address: bool = False, pinyin: bool = True
    ) -> list[_Evidence]:
        out: list[_Evidence] = []
        seen: set[tuple[str, int]] = set()
        n = len(text)
        # One character wrong or missing in a name of three or more, anchored on a bigram or
        # a pair one apart that the text shares with it.
        for i in range(n - 1):
            keys = [text[i : i + 2]]
            if i + 2 < n:
                keys.append(text[i] + SKIP + text[i + 2])
            for key in keys:
                for term, j in self._anchors.get(key, ()):
                    start = i - j
                    if (term.text, start) in seen:
                        continue
                    seen.add((term.text, start))
                    hit = self._typo_at(text, start, term)
                    if hit is not None:
                        begin, window, homophone = hit
                        out.append(
                            self._fuzzy_evidence(
                                window, term, homophone, (begin, begin + len(window)), in_address
                            )
                        )
        out = _outermost(out)
        if out or not pinyin:
            return out
        # Homophones of two-character names and abbreviations, anchored on pinyin pairs.
        py = [pinyin_of(c) for c in text]
        for i in range(n - 1):
            for term in self._by_pinyin.get((py[i], py[i + 1]), ()):
                length = len(term.text)
                if i + length > n:
                    continue
                if tuple(py[i : i + length]) != term.pinyin:
                    continue
                window = text[i : i + length]
                if window == term.text:
                    continue
                same = sum(a == b for a, b in zip(window, term.text, strict=True))
                if same == 0:
                    continue
                if length == 2 and not _estate_word_after(text, i + length):
                    continue
                out.append(
                    self._fuzzy_evidence(
                        window, term, True, (i, i + length), in_address, length - same
                    )
                )
        return _outermost(out)

    @staticmethod
    def _typo_at(text: str, start: int, term: _Term) -> tuple[int, str, bool] | None:
        """(start, window, homophone) when the text at `start` is the term with one
        character wrong, or one left out."""
        n = len(text)
        length = len(term.text)
        if start >= 0 and start + length <= n:
            window = text[start : start + length]
            diff = [k for k in range(length) if window[k] != term.text[k]]
            if len(diff) == 1 and window[diff[0]] not in ROAD_CHARS:
                k = diff[0]
                homophone = pinyin_of(window[k]) == term.pinyin[k]
                if homophone or _plausible_typo(text, start, length, window[k]):
                    return start, window, homophone
        if length >= 4:
            # One character left out: the window is one shorter and starts at the anchor's
            # offset, or one after it when the missing one came earlier.
            for begin in (start, start + 1):
                if begin < 0 or begin + length - 1 > n:
                    continue
                window = text[begin : begin + length - 1]
                if _one_deleted(window, term.text) and not _road_follows(text, begin + length - 1):
                    return begin, window, False
        return None

    @staticmethod
    def _fuzzy_evidence(
        window: str,
        term: _Term,
        homophone: bool,
        span: tuple[int, int],
        in_address: bool,
        wrong: int = 1,
    ) -> _Evidence:
        conf = CONF_HOMOPHONE if homophone else CONF_TYPO
        if term.kind != "name":
            conf -= 0.04
        conf -= 0.03 * (wrong - 1)  # homophones of several characters are less likely
        return _Evidence(
            conf,
            term.entries,
            f"近似“{window}”≈“{term.text}”",
            f"fuzzy-{term.kind}",
            span,
            in_address,
        )

    def _decide(self, evidence: list[_Evidence]) -> EstateMatch:
        score: dict[int, float] = {}
        why: dict[int, str] = {}
        support: dict[int, int] = defaultdict(int)
        for ev in evidence:
            conf = ev.confidence if len(ev.entries) == 1 else ev.confidence * AMBIGUOUS_FACTOR
            for i in ev.entries:
                support[i] += 1
                if conf > score.get(i, -1):
                    score[i] = conf
                    why[i] = ev.reason
        ranked = sorted(score, key=lambda i: (-score[i], -support[i], i))
        best = ranked[0]
        conf = score[best]
        if support[best] > 1:
            conf = min(0.99, conf + 0.01)
        reason = why[best]
        rivals = [
            i for i in ranked[1:] if score[i] >= score[best] - 0.005 and support[i] >= support[best]
        ]
        if rivals:
            conf = min(conf, CONF_AMBIGUOUS)
            names = "、".join(self.entries[i].name for i in rivals[:2])
            reason += f"；也可能是{names}"
        e = self.entries[best]
        return EstateMatch(e.id, e.name, e.subdistrict, round(conf, 3), reason)


def _close(a: str, b: str) -> bool:
    """Same length, at most one character differing, or the same pinyin."""
    diff = sum(x != y for x, y in zip(a, b, strict=True))
    if diff <= 1:
        return True
    return all(pinyin_of(x) == pinyin_of(y) for x, y in zip(a, b, strict=True))


def _estate_word_after(text: str, pos: int) -> bool:
    rest = text[pos : pos + 2]
    return rest.startswith(("小区", "新村", "花园", "公寓", "家园", "苑", "村", "大楼"))


def _one_deleted(short: str, full: str) -> bool:
    """`short` is `full` with exactly one character left out."""
    if len(short) + 1 != len(full):
        return False
    k = 0
    while k < len(short) and short[k] == full[k]:
        k += 1
    return short[k:] == full[k + 1 :]


def _road_follows(text: str, pos: int) -> bool:
    return text.startswith(_ROAD_AFTER, pos) or bool(_LANE_AHEAD.match(text, pos))


def _plausible_typo(text: str, start: int, length: int, ch: str) -> bool:
    """A wrong character that is not a homophone: a Chinese character, in a name of four or
    more, or of three when what follows is not a road or a lane."""
    if not ("\u4e00" <= ch <= "\u9fff"):
        return False
    return length >= 4 or not _road_follows(text, start + length)


SKIP = "…"
ROAD_CHARS = frozenset("路街道弄号巷")  # 新沪路 is the road, not 新沪苑 mistyped


def _anchor_keys(text: str) -> list[tuple[str, int]]:
    keys = [(text[j : j + 2], j) for j in range(len(text) - 1)]
    keys += [(text[j] + SKIP + text[j + 2], j) for j in range(len(text) - 2)]
    return keys


def _outermost(hits: list[_Evidence]) -> list[_Evidence]:
    """The hits not inside a longer one (祁山南小区 ≈ 祁连山南小区 over 山南小区 ≈ 真南小区),
    and of those at one span, the closest (fewest characters wrong, names before aliases)."""
    if len(hits) < 2:
        return hits
    kept = [
        h
        for h in hits
        if not any(
            o.span[0] <= h.span[0]
            and h.span[1] <= o.span[1]
            and o.span[1] - o.span[0] > h.span[1] - h.span[0]
            and (o.confidence >= h.confidence or h.kind != "fuzzy-name")
            for o in hits
        )
    ]
    best: dict[tuple[int, int], float] = {}
    for h in kept:
        best[h.span] = max(best.get(h.span, 0.0), h.confidence)
    return [h for h in kept if h.confidence >= best[h.span] - 1e-9]
