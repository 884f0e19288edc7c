"""A stand-in for the triage engine with the engine's contract (TriageResult fields, run(),
threshold, version): keyword rules for the type, estate names found in the text or address,
and repeats named by the test. Tests of services, views and imports use it so that they
check what the platform does with a guess, not how good the model is."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from xiaoqu.estates.models import Estate
from xiaoqu.triage.engine import TriageResult

RULES: dict[str, tuple[str, str, float]] = {
    # keyword: (violation type, referral target, confidence)
    "堆物": ("common_area_occupation", "", 0.93),
    "搭建": ("illegal_construction", "", 0.95),
    "群租": ("group_rental", "", 0.91),
    "电瓶车": ("ebike_charging", "", 0.9),
    "噪声": ("", "police", 0.5),  # an unsure referral: triaged by hand
    "好像": ("household_waste", "", 0.3),  # a vague text: below the threshold
}


@dataclass
class FakeEngine:
    threshold: float = 0.6
    version: str = "fake-1"
    rules: dict[str, tuple[str, str, float]] = field(default_factory=lambda: dict(RULES))
    repeat: Callable[[Any, Sequence[Any]], str | None] | None = None
    calls: int = 0

    def run(self, items: Sequence[Any], *, against_stored: bool = True, window_days: int = 30):
        self.calls += 1
        estates = list(Estate.objects.select_related("subdistrict"))
        results = []
        for item in items:
            vt, refer, conf, reason = "", "", 0.2, ""
            for word, (code, target, c) in self.rules.items():
                if word in item.text:
                    vt, refer, conf, reason = code, target, c, word
                    break
            found = next(
                (e for e in estates if e.name in item.text or e.name in (item.address or "")),
                None,
            )
            results.append(
                TriageResult(
                    id=item.id,
                    violation_type=vt,
                    refer_to=refer,
                    confidence=conf,
                    type_reason=reason,
                    estate_id=found.pk if found else None,
                    estate=found.name if found else "",
                    subdistrict=found.subdistrict.code if found and found.subdistrict else "",
                    estate_confidence=0.97 if found else 0.0,
                    estate_reason=found.name if found else "",
                    repeat_of=self.repeat(item, items) if self.repeat else None,
                    repeat_reason="同一小区同一问题" if self.repeat else "",
                )
            )
        return results


def lead_of(complaint: Any) -> Any:
    """The complaint's lead, fresh from the database."""
    from xiaoqu.intake.models import Lead

    assert complaint.lead_id is not None
    return Lead.objects.get(pk=complaint.lead_id)


def type_code(complaint: Any) -> str:
    return complaint.violation_type.code if complaint.violation_type else ""
