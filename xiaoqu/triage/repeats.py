"""Repeat detection: a complaint repeats an earlier one about the same estate, the same issue
and the same spot within a window. When both name a building (and room), those decide; when
either leaves the spot out, the texts must be alike."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from .classifier import normalize
from .gazetteer import Spot

SIMILARITY = 0.05  # overlap of character bigrams when a spot is missing on either side:
# complaints about one matter come in other words and styles, so only texts sharing almost
# nothing are kept apart (tuned on the train split)


@dataclass(frozen=True)
class RepeatItem:
    id: str
    estate: str  # the estate's key (its name); "" when unknown
    label: str
    received_at: dt.datetime | None
    spot: Spot
    text: str


def bigrams(text: str) -> frozenset[str]:
    t = normalize(text)
    return frozenset(t[i : i + 2] for i in range(len(t) - 1))


def similarity(a: frozenset[str], b: frozenset[str]) -> float:
    """Overlap coefficient of two bigram sets (0..1)."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def same_spot(a: Spot, b: Spot) -> tuple[bool | None, str]:
    """True/False when both sides name the building (and rooms where both do); None when
    the spot is missing on either side."""
    if a.building and b.building:
        if a.building != b.building:
            return False, ""
        if a.room and b.room:
            if a.room != b.room:
                return False, ""
            return True, f"同一位置“{a.building}号{a.room}室”"
        return True, f"同一楼栋“{a.building}号”"
    if a.room and b.room and not (a.building or b.building):
        return (a.room == b.room), f"同一房号“{a.room}室”"
    return None, ""


def find_repeats(
    items: Sequence[RepeatItem],
    *,
    earlier: Sequence[RepeatItem] = (),
    window_days: int = 30,
    threshold: float = SIMILARITY,
) -> dict[str, tuple[str, str]]:
    """{item id: (id of the earliest item it repeats, reason)} for the items that repeat one.

    `earlier` are stored complaints: candidates, never results. Items are taken in the order
    of received_at (items without a time in input order after those with one)."""
    window = dt.timedelta(days=window_days)
    groups: dict[tuple[str, str], list[tuple[RepeatItem, frozenset[str]]]] = defaultdict(list)
    order = sorted(
        [(0, k, it) for k, it in enumerate(earlier)] + [(1, k, it) for k, it in enumerate(items)],
        key=lambda x: (_ts(x[2].received_at), x[0], x[1]),
    )
    found: dict[str, tuple[str, str]] = {}
    for source, _k, item in order:
        if not item.estate or not item.label:
            continue
        group = groups[(item.estate, item.label)]
        grams = bigrams(item.text)
        if source == 1:
            for prev, prev_grams in group:
                if (
                    item.received_at is not None
                    and prev.received_at is not None
                    and item.received_at - prev.received_at > window
                ):
                    continue
                verdict, reason = same_spot(item.spot, prev.spot)
                if verdict is None:
                    sim = similarity(grams, prev_grams)
                    if sim < threshold:
                        continue
                    reason = f"文本相似度{sim:.2f}"
                elif not verdict:
                    continue
                found[item.id] = (prev.id, f"同一小区同类问题，{reason}")
                break
        group.append((item, grams))
    return found


def _ts(value: dt.datetime | None) -> float:
    return value.timestamp() if value is not None else float("inf")
