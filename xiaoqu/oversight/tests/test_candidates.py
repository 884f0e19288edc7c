"""The greedy pilot suggestion: caps per subdistrict and per main violation type."""

from __future__ import annotations

from xiaoqu.oversight.candidates import Candidate, select_candidates


def cand(pk: int, sd: int, code: str, shrunk: float) -> Candidate:
    return Candidate(pk, f"小区{pk}", sd, f"街道{sd}", code, code, 10, 1000, shrunk, shrunk)


def _chosen(out):
    return [s.candidate.estate_id for s in out if s.chosen]


def test_subdistrict_cap_spreads_the_pilot():
    ranked = [cand(i, 1, f"t{i}", 100 - i) for i in range(1, 6)] + [
        cand(10, 2, "x", 50),
        cand(11, 3, "y", 40),
    ]
    out = select_candidates(ranked, target=4, per_subdistrict=2, per_type=5)
    assert _chosen(out) == [1, 2, 10, 11]
    whys = {s.candidate.estate_id: s.why for s in out}
    assert whys[3] == "subdistrict_full"


def test_type_cap_then_relaxed_when_short():
    ranked = [
        cand(1, 1, "waste", 90),
        cand(2, 2, "waste", 80),
        cand(3, 3, "waste", 70),
        cand(4, 4, "ads", 60),
    ]
    out = select_candidates(ranked, target=4, per_subdistrict=1, per_type=2)
    # first pass: 1, 2 (waste cap reached), 4; second pass relaxes the type cap for 3
    assert sorted(_chosen(out)) == [1, 2, 3, 4]
    whys = {s.candidate.estate_id: s.why for s in out}
    assert whys[3] == "chosen_relaxed"
    assert whys[4] == "chosen"


def test_type_cap_holds_when_enough_other_types():
    ranked = [cand(1, 1, "w", 90), cand(2, 2, "w", 80), cand(3, 3, "w", 70), cand(4, 4, "a", 60)]
    out = select_candidates(ranked, target=3, per_subdistrict=1, per_type=2)
    assert _chosen(out) == [1, 2, 4]
    assert {s.candidate.estate_id: s.why for s in out}[3] == "type_full"


def test_subdistrict_cap_never_relaxed_and_target_respected():
    ranked = [cand(i, 1, "w", 100 - i) for i in range(1, 10)]
    out = select_candidates(ranked, target=5, per_subdistrict=3, per_type=1)
    assert _chosen(out) == [1, 2, 3]
    assert len([s for s in out if s.chosen]) <= 5


def test_ranking_order_kept():
    ranked = [cand(i, i, f"t{i}", 100 - i) for i in range(1, 30)]
    out = select_candidates(ranked, target=15)
    assert _chosen(out) == list(range(1, 16))
    assert [s.rank for s in out[:3]] == [1, 2, 3]
