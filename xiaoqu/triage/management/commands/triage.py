"""`xiaoqu triage "TEXT" [--address ADDRESS]`: print what triage guesses about one complaint
and why. `xiaoqu triage --input FILE.jsonl [--output FILE.jsonl]`: triage one JSON object
per line (id, text, address, received_at, channel) and write one result per line in input
order. Estates come from the database; nothing is stored."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import IO, Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoqu.triage.engine import Triage, TriageInput, TriageResult, threshold

BATCH = 2000


def result_json(r: TriageResult) -> dict[str, Any]:
    return {
        "id": r.id,
        "violation_type": r.violation_type or "other",
        "refer_to": r.refer_to or None,
        "confidence": r.confidence,
        "type_reason": r.type_reason,
        "estate": r.estate or None,
        "estate_id": r.estate_id,
        "subdistrict": r.subdistrict or None,
        "estate_confidence": r.estate_confidence,
        "estate_reason": r.estate_reason,
        "repeat_of": r.repeat_of,
        "repeat_reason": r.repeat_reason,
    }


def parse_line(line: str, number: int) -> TriageInput:
    """One input line as a TriageInput; ValueError with a readable message otherwise."""
    try:
        data = json.loads(line)
    except json.JSONDecodeError as exc:
        raise ValueError(_("not JSON (%(error)s)") % {"error": exc.msg}) from exc
    if not isinstance(data, dict):
        raise ValueError(_("not a JSON object"))
    text = data.get("text")
    if not isinstance(text, str) or not text.strip():
        raise ValueError(_("“text” is missing or empty"))
    received_at = None
    if data.get("received_at"):
        try:
            received_at = dt.datetime.fromisoformat(str(data["received_at"]))
        except ValueError as exc:
            raise ValueError(
                _("“received_at” is not an ISO 8601 time: %(value)s")
                % {"value": data["received_at"]}
            ) from exc
        if timezone.is_naive(received_at):
            received_at = timezone.make_aware(received_at)
    return TriageInput(
        id=str(data.get("id", number)),
        text=text,
        address=str(data.get("address") or ""),
        received_at=received_at,
        channel=str(data.get("channel") or ""),
    )


class Command(BaseCommand):
    help = _(
        "Triage a complaint text (violation type or referral, estate, repeat) and print the "
        "guesses with their reasons; or triage a JSON-lines file with --input."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("text", nargs="?", help=_("The complaint text."))
        parser.add_argument("--address", default="", help=_("The address field, if any."))
        parser.add_argument(
            "--input", help=_("A JSON-lines file: id, text, address, received_at, channel.")
        )
        parser.add_argument(
            "--output", help=_("Where to write the results (JSON lines); default: stdout.")
        )
        parser.add_argument(
            "--no-stored",
            action="store_true",
            help=_("Look for repeats only within the input, not among stored complaints."),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["input"]:
            self.batch(options)
            return
        if not options["text"]:
            raise CommandError(_("Give a complaint text, or --input FILE.jsonl."))
        triage = Triage.load()
        item = TriageInput(
            id="1", text=options["text"], address=options["address"], received_at=timezone.now()
        )
        r = triage.run([item], against_stored=not options["no_stored"])[0]
        self.show(r, triage)

    def show(self, r: TriageResult, triage: Triage) -> None:
        w = self.stdout.write
        if r.violation_type:
            w(_("Violation type: %(code)s") % {"code": r.violation_type})
        else:
            w(_("Not ours: refer to %(code)s") % {"code": r.refer_to})
        w(
            _("  confidence %(c).2f; %(reason)s")
            % {"c": r.confidence, "reason": r.type_reason or "—"}
        )
        if r.confidence < threshold():
            w(_("  below the threshold %(t).2f: manual triage") % {"t": threshold()})
        if r.estate:
            w(
                _("Estate: %(name)s (subdistrict %(code)s)")
                % {"name": r.estate, "code": r.subdistrict or "—"}
            )
        else:
            w(_("Estate: none recognised"))
        w(
            _("  confidence %(c).2f; %(reason)s")
            % {"c": r.estate_confidence, "reason": r.estate_reason}
        )
        if r.repeat_of:
            w(_("Repeat of %(of)s: %(reason)s") % {"of": r.repeat_of, "reason": r.repeat_reason})
        else:
            w(_("Not a repeat of a stored complaint."))
        w(_("Model %(version)s") % {"version": triage.version})

    def batch(self, options: dict[str, Any]) -> None:
        try:
            source: IO[str] = open(options["input"], encoding="utf-8")  # noqa: SIM115
        except OSError as exc:
            raise CommandError(
                _("Cannot read %(file)s: %(error)s")
                % {"file": options["input"], "error": exc.strerror}
            ) from exc
        items: list[TriageInput] = []
        errors = 0
        with source:
            for number, line in enumerate(source, start=1):
                if not line.strip():
                    continue
                try:
                    items.append(parse_line(line, number))
                except ValueError as exc:
                    errors += 1
                    self.stderr.write(_("Line %(n)d: %(error)s") % {"n": number, "error": exc})
        triage = Triage.load()
        results = triage.run(items, against_stored=not options["no_stored"])
        out: Any = (
            open(options["output"], "w", encoding="utf-8")  # noqa: SIM115
            if options["output"]
            else self.stdout
        )
        try:
            for chunk in _chunks([result_json(r) for r in results]):
                out.write(chunk)
        finally:
            if out is not self.stdout:
                out.close()
        if errors:
            raise CommandError(
                _("%(n)d malformed lines were skipped; the others were triaged.") % {"n": errors}
            )


def _chunks(rows: list[dict[str, Any]]) -> Iterator[str]:
    for k in range(0, len(rows), BATCH):
        yield "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows[k : k + BATCH])
