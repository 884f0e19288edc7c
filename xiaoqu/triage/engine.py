"""The triage engine: violation type or referral target, estate and repeat of each complaint,
each guess with a confidence and a short reason in Chinese.

    triage = Triage.load(district)          # active model + the district's estates, cached
    results = triage.run([TriageInput(id="1", text="…", address="梅川路1199弄")])
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .classifier import Classifier, split_label
from .gazetteer import Gazetteer, spot_of
from .repeats import RepeatItem, find_repeats

THRESHOLD: float = 0.6
ESTATE_FOR_REPEATS = 0.5  # an estate guess below this is too unsure to look for repeats
STORED_LIMIT = 200  # stored complaints compared per estate


def threshold() -> float:
    """Confidence below which a complaint goes to manual triage (setting
    XIAOQU_TRIAGE_THRESHOLD overrides the default)."""
    from django.conf import settings

    return float(getattr(settings, "XIAOQU_TRIAGE_THRESHOLD", THRESHOLD))


@dataclass(frozen=True)
class TriageInput:
    id: str
    text: str
    address: str = ""
    received_at: dt.datetime | None = None
    channel: str = ""


@dataclass(frozen=True)
class TriageResult:
    id: str
    violation_type: str
    refer_to: str
    confidence: float
    type_reason: str
    estate_id: int | None
    estate: str
    subdistrict: str
    estate_confidence: float
    estate_reason: str
    repeat_of: str | None
    repeat_reason: str

    @property
    def label(self) -> str:
        return self.violation_type or f"other:{self.refer_to}"


class Triage:
    version: str

    def __init__(self, classifier: Classifier, gazetteer: Gazetteer, version: str = "") -> None:
        self.classifier = classifier
        self.gazetteer = gazetteer
        self.version = version or classifier.version

    @classmethod
    def from_parts(cls, classifier: Classifier, gazetteer: Gazetteer) -> Triage:
        return cls(classifier, gazetteer)

    @classmethod
    def load(cls, district: Any = None) -> Triage:
        """The active model and the estates of the district (or all), cached per process
        until the active version, the estates or their addresses change. Trains and activates a first
        model from the shipped corpus when none is active."""
        from django.db.models import Count, Max

        from xiaoqu.estates.models import Estate

        from .models import ModelVersion
        from .training import train

        with _LOCK:
            active = ModelVersion.objects.filter(active=True).order_by("-trained_at").first()
            if active is None or not Path(active.path).is_file():
                active = train(activate="always")
            estates = Estate.objects.all()
            if district is not None:
                estates = estates.filter(district=district)
            stats = estates.aggregate(
                n=Count("pk", distinct=True),
                updated=Max("updated_at"),
                n_addresses=Count("addresses", distinct=True),
                last_address=Max("addresses__id"),
            )
            district_key = getattr(district, "pk", district)
            key = (
                active.version,
                stats["n"],
                stats["updated"],
                stats["n_addresses"],
                stats["last_address"],
            )
            cached = _CACHE.get(district_key)
            if cached is not None and cached[0] == key:
                return cached[1]
            classifier = _CLASSIFIERS.get(active.version)
            if classifier is None:
                classifier = Classifier.load(Path(active.path))
                classifier.version = active.version
                _CLASSIFIERS.clear()
                _CLASSIFIERS[active.version] = classifier
            triage = cls(classifier, Gazetteer.from_db(district), active.version)
            _CACHE[district_key] = (key, triage)
            return triage

    def run(
        self,
        items: Sequence[TriageInput],
        *,
        against_stored: bool = True,
        window_days: int = 30,
    ) -> list[TriageResult]:
        if not items:
            return []
        guesses = self.classifier.predict([it.text for it in items])
        matches = [self.gazetteer.match(it.text, it.address) for it in items]
        repeat_items = []
        for it, guess, match in zip(items, guesses, matches, strict=True):
            sure = match.confidence >= ESTATE_FOR_REPEATS
            repeat_items.append(
                RepeatItem(
                    id=it.id,
                    estate=_estate_key(match.estate_id, match.name) if sure else "",
                    label=guess.label,
                    received_at=it.received_at,
                    spot=spot_of(it.text, it.address),
                    text=it.text,
                )
            )
        stored: list[RepeatItem] = []
        if against_stored:
            from dataclasses import replace

            from django.utils import timezone

            now = timezone.now()  # an item without a time arrives now
            repeat_items = [
                it if it.received_at is not None else replace(it, received_at=now)
                for it in repeat_items
            ]
            stored = _stored_items(repeat_items, matches, window_days)
        repeats = find_repeats(repeat_items, earlier=stored, window_days=window_days)
        results = []
        for it, guess, match in zip(items, guesses, matches, strict=True):
            violation_type, refer_to = split_label(guess.label)
            repeat_of, repeat_reason = repeats.get(it.id, (None, ""))
            results.append(
                TriageResult(
                    id=it.id,
                    violation_type=violation_type,
                    refer_to=refer_to,
                    confidence=round(guess.confidence, 3),
                    type_reason=guess.reason,
                    estate_id=match.estate_id,
                    estate=match.name,
                    subdistrict=match.subdistrict,
                    estate_confidence=match.confidence,
                    estate_reason=match.reason,
                    repeat_of=repeat_of,
                    repeat_reason=repeat_reason,
                )
            )
        return results


_LOCK = threading.RLock()
_CACHE: dict[Any, tuple[tuple[Any, ...], Triage]] = {}
_CLASSIFIERS: dict[str, Classifier] = {}


def clear_cache() -> None:
    with _LOCK:
        _CACHE.clear()
        _CLASSIFIERS.clear()


def _estate_key(estate_id: int | None, name: str) -> str:
    return f"#{estate_id}" if estate_id is not None else name


def _stored_items(
    items: Sequence[RepeatItem], matches: Sequence[Any], window_days: int
) -> list[RepeatItem]:
    """Stored complaints of the items' estates within the window: one query per estate."""
    from xiaoqu.intake.models import Complaint

    window = dt.timedelta(days=window_days)
    own_ids = {it.id for it in items}
    by_estate: dict[int, list[RepeatItem]] = defaultdict(list)
    for it, match in zip(items, matches, strict=True):
        if it.estate and match.estate_id is not None:
            by_estate[match.estate_id].append(it)
    out: list[RepeatItem] = []
    for estate_id, group in by_estate.items():
        times = [it.received_at for it in group if it.received_at is not None]
        qs = Complaint.objects.filter(estate_id=estate_id)
        if times:
            qs = qs.filter(received_at__gte=min(times) - window, received_at__lte=max(times))
        rows = (
            qs.select_related("violation_type", "triage")
            .only(
                "pk",
                "content",
                "address",
                "received_at",
                "violation_type__code",
                "triage__refer_to",
            )
            .order_by("-received_at", "-pk")[:STORED_LIMIT]
        )
        for c in rows:
            if str(c.pk) in own_ids:
                continue
            label = c.violation_type.code if c.violation_type else ""
            if not label:
                triage = getattr(c, "triage", None)
                refer = triage.refer_to if triage is not None else ""
                label = f"other:{refer}" if refer else ""
            out.append(
                RepeatItem(
                    id=f"complaint:{c.pk}",
                    estate=_estate_key(estate_id, ""),
                    label=label,
                    received_at=c.received_at,
                    spot=spot_of(c.content, c.address),
                    text=c.content,
                )
            )
    return out
