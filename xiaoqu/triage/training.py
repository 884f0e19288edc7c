"""Training of the triage classifier on the shipped corpus and the dispatchers' corrections,
evaluated on the test split (never trained on), recorded as a ModelVersion."""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from .classifier import LABELS, Classifier, Guess

CORPUS_DIR = Path(__file__).resolve().parent / "corpus"
CORRECTION_WEIGHT = 5.0  # a dispatcher's correction counts as much as this many corpus texts
ACTIVATE_CHOICES = ("if_better", "always", "never")


def read_corpus(split: str, *, path: Path | None = None) -> list[dict[str, Any]]:
    """The rows of a corpus split ("train" or "test")."""
    file = path or CORPUS_DIR / f"{split}.jsonl"
    with file.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def fit(
    texts: Sequence[str],
    labels: Sequence[str],
    weights: Sequence[float] | None = None,
    *,
    lexicon: bool = True,
) -> Classifier:
    """A classifier trained on the texts (and the lexicon's phrases unless told not to)."""
    return Classifier(lexicon_weight=Classifier.LEXICON_WEIGHT if lexicon else 0.0).fit(
        texts, labels, weights
    )


def macro_f1(gold: Sequence[str], predicted: Sequence[str]) -> tuple[float, dict[str, float]]:
    """Macro-F1 over the labels present in the gold data, and each label's F1."""
    per: dict[str, float] = {}
    for label in sorted(set(gold)):
        tp = sum(1 for g, p in zip(gold, predicted, strict=True) if g == p == label)
        fp = sum(1 for g, p in zip(gold, predicted, strict=True) if p == label and g != label)
        fn = sum(1 for g, p in zip(gold, predicted, strict=True) if g == label and p != label)
        per[label] = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    return (sum(per.values()) / len(per) if per else 0.0), per


def evaluate(guesses: Sequence[Guess], gold: Sequence[str]) -> dict[str, Any]:
    """Figures of label guesses against the gold labels."""
    predicted = [g.label for g in guesses]
    n = len(gold)
    f1, per = macro_f1(gold, predicted)
    referrals = [(g, p) for g, p in zip(gold, predicted, strict=True) if g.startswith("other:")]
    ours = [(g, p) for g, p in zip(gold, predicted, strict=True) if not g.startswith("other:")]
    return {
        "test_size": n,
        "accuracy": round(sum(g == p for g, p in zip(gold, predicted, strict=True)) / n, 4)
        if n
        else 0.0,
        "macro_f1": round(f1, 4),
        "violation_accuracy": round(sum(g == p for g, p in ours) / len(ours), 4) if ours else 0.0,
        "referral_accuracy": round(sum(g == p for g, p in referrals) / len(referrals), 4)
        if referrals
        else 0.0,
        "per_label_f1": {k: round(v, 4) for k, v in per.items()},
    }


def correction_rows(corrections: Iterable[Any]) -> list[tuple[str, str]]:
    """(text, label) of the corrections of the type or referral target."""
    rows = []
    for c in corrections:
        if c.field == "violation_type" and c.new_value:
            label = c.new_value
        elif c.field == "refer_to" and c.new_value:
            label = f"other:{c.new_value}"
        else:
            continue
        if label in LABELS and c.text.strip():
            rows.append((c.text, label))
    return rows


def train(
    *,
    corrections: bool = True,
    activate: str = "if_better",
    actor: Any = None,
    stdout: Any = None,
    train_rows: Sequence[dict[str, Any]] | None = None,
    test_rows: Sequence[dict[str, Any]] | None = None,
    lexicon: bool = True,
) -> Any:
    """Train on the corpus train split and the corrections, evaluate on the test split,
    write the model file and record a ModelVersion; activate it when asked ("always"), or
    when its macro-F1 is not below the active one's ("if_better"); "never" keeps the old."""
    from django.conf import settings
    from django.db import transaction
    from django.utils import timezone
    from django.utils.translation import gettext as _

    from .models import Correction, ModelVersion

    if activate not in ACTIVATE_CHOICES:
        raise ValueError(f"activate must be one of {ACTIVATE_CHOICES}")

    def say(line: str) -> None:
        if stdout is not None:
            stdout.write(line + "\n")

    train_rows = list(train_rows) if train_rows is not None else read_corpus("train")
    test_rows = list(test_rows) if test_rows is not None else read_corpus("test")
    texts = [r["text"] for r in train_rows]
    labels = [r["label"] for r in train_rows]
    weights = [1.0] * len(texts)
    used: list[Any] = []
    if corrections:
        used = list(Correction.objects.filter(field__in=("violation_type", "refer_to")))
        for text, label in correction_rows(used):
            texts.append(text)
            labels.append(label)
            weights.append(CORRECTION_WEIGHT)
    n_corrections = len(texts) - len(train_rows)

    started = time.perf_counter()
    classifier = fit(texts, labels, weights, lexicon=lexicon)
    seconds = time.perf_counter() - started
    metrics = evaluate(
        classifier.predict([r["text"] for r in test_rows], reasons=False),
        [r["label"] for r in test_rows],
    )
    metrics["train_seconds"] = round(seconds, 2)

    now = timezone.now()
    version = timezone.localtime(now).strftime("%Y%m%d-%H%M%S")  # as the bureau reads the time
    suffix = 1
    while ModelVersion.objects.filter(version=version).exists():
        suffix += 1
        version = f"{now:%Y%m%d-%H%M%S}-{suffix}"
    classifier.version = version
    path = Path(settings.DATA_DIR) / "triage" / f"triage-{version}.joblib"
    classifier.save(path)

    say(
        _("Model %(version)s: %(n)d training texts (%(c)d corrections), trained in %(s).1f s.")
        % {"version": version, "n": len(texts), "c": n_corrections, "s": seconds}
    )
    say(
        _(
            "Test split, %(n)d texts: accuracy %(acc).3f, macro-F1 %(f1).3f, "
            "referral target accuracy %(ref).3f."
        )
        % {
            "n": metrics["test_size"],
            "acc": metrics["accuracy"],
            "f1": metrics["macro_f1"],
            "ref": metrics["referral_accuracy"],
        }
    )

    with transaction.atomic():
        current = ModelVersion.objects.select_for_update().filter(active=True).first()
        record = ModelVersion.objects.create(
            version=version,
            trained_at=now,
            trained_by=actor,
            path=str(path),
            metrics=metrics,
            train_size=len(train_rows),
            corrections_used=n_corrections,
            active=False,
        )
        previous_f1 = float(current.metrics.get("macro_f1", 0.0)) if current else None
        use = activate == "always" or (
            activate == "if_better" and (previous_f1 is None or metrics["macro_f1"] >= previous_f1)
        )
        if use:
            ModelVersion.objects.filter(active=True).update(active=False)
            record.active = True
            record.save(update_fields=["active"])
        if used:
            Correction.objects.filter(pk__in=[c.pk for c in used]).update(used_in=version)
    if use:
        say(_("Model %(version)s is now in use.") % {"version": version})
    elif current is not None and activate == "if_better":
        say(
            _(
                "Not activated: macro-F1 %(f1).3f is below %(old).3f of the model in use "
                "(%(current)s)."
            )
            % {"f1": metrics["macro_f1"], "old": previous_f1 or 0.0, "current": current.version}
        )
    elif current is not None:
        say(_("Not activated, as asked; %(current)s stays in use.") % {"current": current.version})
    return record
