"""Suggesting pilot estates: a greedy selection, without the database.

Estates come ranked by their shrunk complaints per 10,000 residents (a small estate with one
complaint does not top the list). Walking down the ranking, an estate is taken unless its
subdistrict already has `per_subdistrict` estates or its main violation type already has
`per_type`; so the pilot spreads over subdistricts and problems while keeping the estates
that most need it. When the caps leave the pilot short of `target`, a second pass relaxes the
type cap (never the subdistrict cap)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Candidate:
    estate_id: int
    name: str
    subdistrict_id: int | None
    subdistrict_name: str
    main_type: str  # violation code with the most complaints, "" when none
    main_type_name: str
    complaints: int
    residents: int
    rate: float  # raw complaints per 10k
    shrunk: float  # the ranking value


@dataclass
class Suggestion:
    candidate: Candidate
    rank: int
    chosen: bool
    why: str  # a code: "chosen", "chosen_relaxed", "subdistrict_full", "type_full", "enough"
    extra: dict[str, object] = field(default_factory=dict)


def select_candidates(
    ranked: list[Candidate], *, target: int = 15, per_subdistrict: int = 2, per_type: int = 3
) -> list[Suggestion]:
    by_sd: Counter[int | None] = Counter()
    by_type: Counter[str] = Counter()
    out = [Suggestion(c, i + 1, False, "enough") for i, c in enumerate(ranked)]
    taken = 0
    for relaxed in (False, True):
        for s in out:
            if taken >= target:
                break
            if s.chosen:
                continue
            c = s.candidate
            if by_sd[c.subdistrict_id] >= per_subdistrict:
                s.why = "subdistrict_full"
                continue
            if not relaxed and c.main_type and by_type[c.main_type] >= per_type:
                s.why = "type_full"
                continue
            s.chosen = True
            s.why = "chosen_relaxed" if relaxed else "chosen"
            by_sd[c.subdistrict_id] += 1
            if c.main_type:
                by_type[c.main_type] += 1
            taken += 1
    return out
