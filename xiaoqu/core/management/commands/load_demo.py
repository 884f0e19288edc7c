"""`xiaoqu load-demo`: the base facts (`xiaoqu seed`), then Putuo demo data (演示数据), then
(unless --no-history) a generated history of the closed loop over the last --months months.

Deterministic and idempotent: a second run creates nothing; rows that are not demo data
(imported estates, real accounts, real complaints) are never changed."""

from __future__ import annotations

import argparse
import time
from collections import Counter
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoqu.accounts.choices import Role
from xiaoqu.cases.choices import CaseStatus
from xiaoqu.core.demo import DEMO_ESTATES, DEMO_PASSWORD, DEMO_SEED, DemoLoadResult, demo_load
from xiaoqu.core.demo.cases import CasesResult, cases_generate
from xiaoqu.core.demo.history import DEFAULT_MONTHS, HistoryResult, history_generate
from xiaoqu.core.demo.users import LoginStatus
from xiaoqu.intake.choices import Channel, LeadStatus, Outcome
from xiaoqu.referrals.choices import AssistanceStatus, ReferralStatus
from xiaoqu.regions.models import District
from xiaoqu.regions.seed import PUTUO


class Command(BaseCommand):
    help = "Load Putuo demo data (labelled as demo) after the base facts; safe to run again."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--estates",
            type=int,
            default=DEMO_ESTATES,
            help=_("How many estates to load, at most %(max)d (default).") % {"max": DEMO_ESTATES},
        )
        parser.add_argument(
            "--seed", type=int, default=DEMO_SEED, help=_("Random seed of the demo plan.")
        )
        parser.add_argument(
            "--password", default=DEMO_PASSWORD, help=_("Password of the demo users created now.")
        )
        parser.add_argument(
            "--history",
            action=argparse.BooleanOptionalAction,
            default=True,
            help=_(
                "Generate a history of complaints and their handling about the demo estates "
                "(default; --no-history to skip it)."
            ),
        )
        parser.add_argument(
            "--months",
            type=int,
            default=DEFAULT_MONTHS,
            help=_("Months of history to generate, up to now (default %(months)d).")
            % {"months": DEFAULT_MONTHS},
        )

    def handle(self, *args: Any, **options: Any) -> None:
        estates = options["estates"]
        if not 1 <= estates <= DEMO_ESTATES:
            raise CommandError(
                _("--estates must be between 1 and %(max)d.") % {"max": DEMO_ESTATES}
            )
        if not 1 <= options["months"] <= 60:
            raise CommandError(_("--months must be between 1 and 60."))
        started = time.monotonic()
        call_command("seed", stdout=self.stdout, stderr=self.stderr)
        district = District.objects.get(code=PUTUO.code)
        try:
            result = demo_load(
                district=district,
                estates=estates,
                seed=options["seed"],
                password=options["password"],
            )
        except ValidationError as error:
            raise CommandError(
                _("The demo password is not accepted: %(reasons)s")
                % {"reasons": " ".join(error.messages)}
            ) from error
        self._summary(result)
        if options["history"]:
            self._triage_model()
            history = history_generate(
                district=district, months=options["months"], seed=options["seed"]
            )
            self._history(history)
            demo_cases = cases_generate(district=district, seed=options["seed"], now=history.now)
            self._cases(demo_cases)
            if history.created:  # prevention and the morning's work orders belong to a new history
                self._prevention(district, options["seed"], history.now)
                self._work_orders(district, options["seed"])
                self._figures(district, options["seed"], history.now)
                self._cooperation(district, options["seed"], history.now)
        self._logins(result, options["password"])
        self.stdout.write(_("Done in %(seconds).1f s.") % {"seconds": time.monotonic() - started})

    def _triage_model(self) -> None:
        """A first triage model, trained from the shipped corpus, so that the history's
        complaints are triaged on arrival like any other."""
        from xiaoqu.triage.models import ModelVersion
        from xiaoqu.triage.training import train

        if not ModelVersion.objects.filter(active=True).exists():
            train(activate="always", stdout=self.stdout)

    def _prevention(self, district: District, seed: int, now: Any) -> None:
        """Grades, patrols, studios and the renovation register, over the same history."""
        from xiaoqu.estates.demo_grades import demo_grades
        from xiaoqu.patrols.demo import demo_patrols
        from xiaoqu.renovations.demo import demo_renovations
        from xiaoqu.studios.demo import demo_studios

        started = time.monotonic()
        grades = demo_grades(district=district, now=now)  # patrol intervals follow the grades
        patrols = demo_patrols(district=district, seed=seed, now=now)
        studios = demo_studios(district=district, seed=seed, now=now)
        renovations = demo_renovations(district=district, seed=seed, now=now)
        self.stdout.write(
            _("Prevention at the estate, generated in %(seconds).1f s:")
            % {"seconds": time.monotonic() - started}
        )
        lines = (
            _("  Estate grades: %(n)d monthly grades computed (12 months).") % {"n": grades},
            _(
                "  Patrols: %(tasks)d tasks (%(done)d done, %(missed)d missed, %(open)d open), "
                "%(findings)d findings, %(leads)d of them turned into leads."
            )
            % {
                "tasks": patrols.tasks,
                "done": patrols.done,
                "missed": patrols.missed,
                "open": patrols.open,
                "findings": patrols.findings,
                "leads": patrols.leads,
            },
            _(
                "  Community studios: %(members)d members in %(studios)d studios, "
                "%(activities)d activities, %(reports)d early-sign reports."
            )
            % {
                "members": studios.members,
                "studios": studios.studios,
                "activities": studios.activities,
                "reports": studios.reports,
            },
            _(
                "  Renovation register: %(n)d renovations (%(structural)d structural, "
                "%(progress)d in progress), %(complaints)d renovation complaints checked."
            )
            % {
                "n": renovations.renovations,
                "structural": renovations.structural,
                "progress": renovations.in_progress,
                "complaints": renovations.complaints,
            },
        )
        for line in lines:
            self.stdout.write(line)

    def _figures(self, district: District, seed: int, now: Any) -> None:
        """The pre-aggregated figures of the whole history, then what reads them: the lapse
        lists, the pilot programme and the assessment (a published quarter)."""
        from xiaoqu.analytics.build import analytics_build, table_rows
        from xiaoqu.assessment.demo import demo_assessment
        from xiaoqu.oversight.demo import demo_oversight
        from xiaoqu.oversight.models import Lapse

        report = analytics_build(district=district)
        demo_oversight(district=district, seed=seed, now=now)
        assessment = demo_assessment(district=district, seed=seed, now=now)
        self.stdout.write(
            _(
                "Figures: %(rows)s pre-aggregated rows built in %(seconds).1f s; %(lapses)d "
                "lapses listed (inaction, slow or wrong action); pilot programme and "
                "assessment recorded (%(snapshots)d published)."
            )
            % {
                "rows": f"{sum(table_rows().values()):,}",
                "seconds": report.seconds,
                "lapses": Lapse.objects.filter(district=district).count(),
                "snapshots": assessment.get("snapshots", 0),
            }
        )

    def _cooperation(self, district: District, seed: int, now: Any) -> None:
        """A year of working together over the same history: consultation meetings (their
        agendas drafted from the data of their day), case clinics on the chronic problems,
        legal education and trainings, and exemplary cases drawn from closed cases."""
        from xiaoqu.clinics.demo import demo_clinics
        from xiaoqu.exemplary.demo import demo_exemplary
        from xiaoqu.meetings.demo import demo_meetings
        from xiaoqu.outreach.demo import demo_outreach

        started = time.monotonic()
        meetings = demo_meetings(district=district, seed=seed, now=now)
        clinics = demo_clinics(district=district, seed=seed, now=now)
        outreach = demo_outreach(district=district, seed=seed, now=now)
        exemplary = demo_exemplary(district=district, seed=seed, now=now)
        self.stdout.write(
            _("Working together, generated in %(seconds).1f s:")
            % {"seconds": time.monotonic() - started}
        )
        lines = (
            _(
                "  Consultation meetings: %(meetings)d meetings, %(agenda)d agenda items, "
                "%(items)d action items (%(on_time)d done on time, %(late)d late, %(overdue)d "
                "open and overdue)."
            )
            % {
                "meetings": meetings.meetings,
                "agenda": meetings.agenda_items,
                "items": meetings.action_items,
                "on_time": meetings.done_on_time,
                "late": meetings.done_late,
                "overdue": meetings.open_overdue,
            },
            _(
                "  Case clinics: %(clinics)d clinics (%(closed)d closed), %(measures)d agreed "
                "measures, %(complaints)d complaints gathered."
            )
            % {
                "clinics": clinics.clinics,
                "closed": clinics.closed,
                "measures": clinics.measures,
                "complaints": clinics.complaints_gathered,
            },
            _(
                "  Legal education: %(events)d events (%(held)d held); property company "
                "trainings: %(trainings)d sessions, %(attendances)d attendances, %(absences)d "
                "absences."
            )
            % {
                "events": outreach.events,
                "held": outreach.held,
                "trainings": outreach.trainings,
                "attendances": outreach.attendances,
                "absences": outreach.absences,
            },
            _(
                "  Exemplary cases: %(created)d drafted from closed cases, %(published)d "
                "published on the public page."
            )
            % {"created": exemplary.created, "published": exemplary.published},
        )
        for line in lines:
            self.stdout.write(line)

    def _work_orders(self, district: District, seed: int) -> None:
        from xiaoqu.triage.demo import demo_work_orders

        result = demo_work_orders(district=district, seed=seed)
        if result.created:
            self.stdout.write(
                _(
                    "This morning's 12345 work orders: %(n)d entered as bare text and triaged; "
                    "%(dispatched)d dispatched automatically, %(queued)d await manual triage."
                )
                % {"n": result.created, "dispatched": result.dispatched, "queued": result.queued}
            )

    def _summary(self, result: DemoLoadResult) -> None:
        created = result.created
        self.stdout.write("")
        self.stdout.write(
            _("Demo data, random seed %(seed)d: %(selected)d of %(total)d planned estates.")
            % {
                "seed": result.plan.seed,
                "selected": result.selected,
                "total": result.plan.estate_total,
            }
        )
        rows = [
            (_("Estates"), created["estates"]),
            (_("Estate addresses"), created["addresses"]),
            (_("Neighbourhood committees"), created["committees"]),
            (_("Property companies"), created["companies"]),
            (_("Project managers"), created["managers"]),
            (_("Owners' committees"), created["owners_committees"]),
            (_("Community studios"), created["studios"]),
            (_("Estates covered by studios"), created["studio_estates"]),
            (_("Users"), created["users"]),
        ]
        for label, n in rows:
            self.stdout.write(_("  %(what)s: %(n)d created") % {"what": label, "n": n})
        if result.created_total == 0:
            self.stdout.write(_("  Nothing new: the demo data was already loaded."))
        if result.already_loaded:
            self.stdout.write(
                _("  %(n)d demo estates were already there and stay as they are.")
                % {"n": result.already_loaded}
            )
        if result.kept:
            self.stdout.write(
                _(
                    "  %(n)d estates with a demo name are not demo data and stay as imported: %(names)s"
                )
                % {"n": len(result.kept), "names": "、".join(result.kept[:10])}
            )
        self.stdout.write(
            _(
                "  Demo estates in the district: %(estates)d, %(households)s households, "
                "%(residents)s residents (demo figures, replace them by importing real data)."
            )
            % {
                "estates": result.demo_estates,
                "households": f"{result.demo_households:,}",
                "residents": f"{result.demo_residents:,}",
            }
        )

    def _cases(self, result: CasesResult) -> None:
        if result.skipped:
            return
        self.stdout.write(
            _(
                "Penalty cases: %(n)d (%(simplified)d by the simplified procedure); "
                "%(demerits)d credit demerits proposed to the housing bureau."
            )
            % {"n": result.created, "simplified": result.simplified, "demerits": result.demerits}
        )
        self.stdout.write(
            "  "
            + _("%(label)s: %(value)s")
            % {"label": _("Cases by stage"), "value": _counts(result.by_status, CaseStatus)}
        )

    def _history(self, history: HistoryResult) -> None:
        self.stdout.write("")
        if history.skipped == "no_users":
            self.stdout.write(_("History: not generated, the demo users are missing."))
            return
        if history.skipped == "no_estates":
            self.stdout.write(_("History: not generated, there are no demo estates."))
            return
        if history.created:
            assert history.now is not None
            self.stdout.write(
                _(
                    "History of the closed loop, %(months)d months up to %(now)s, generated in "
                    "%(seconds).1f s:"
                )
                % {
                    "months": history.months,
                    "now": timezone.localtime(history.now).strftime("%Y-%m-%d %H:%M"),
                    "seconds": history.seconds,
                }
            )
        else:
            self.stdout.write(_("History: already there, nothing new generated."))
        self.stdout.write(
            _("  Complaints: %(n)s, of which %(repeats)s repeat an open matter.")
            % {"n": f"{history.complaints:,}", "repeats": f"{history.repeats:,}"}
        )
        rows = (
            (_("By channel"), history.channels, Channel),
            (_("Leads by state"), history.leads, LeadStatus),
            (_("Outcomes"), history.outcomes, Outcome),
            (_("Referrals by state"), history.referrals, ReferralStatus),
            (_("Assistance requests by state"), history.assistance, AssistanceStatus),
        )
        for label, counts, choices in rows:
            self.stdout.write(
                "  "
                + _("%(label)s: %(value)s") % {"label": label, "value": _counts(counts, choices)}
            )
        overdue = history.overdue
        self.stdout.write(
            _(
                "  Overdue now: %(leads)d leads, %(referrals)d referrals, %(assistance)d "
                "assistance requests, %(replies)d replies to reporters."
            )
            % {
                "leads": overdue["leads"],
                "referrals": overdue["referrals"],
                "assistance": overdue["assistance"],
                "replies": overdue["replies"],
            }
        )
        self.stdout.write(
            _(
                "  Supervision: %(marked)d overdue leads marked, %(urges)d urge notices, "
                "%(extensions)d extension requests."
            )
            % {
                "marked": overdue["marked"],
                "urges": history.urge_notices,
                "extensions": history.extensions,
            }
        )
        if history.sweep == "foreign":
            self.stdout.write(
                _(
                    "  Records that are not demo data are overdue, so the sweep was left to "
                    "“xiaoqu sweep”, which marks them and the demo's."
                )
            )

    def _logins(self, result: DemoLoadResult, password: str) -> None:
        self.stdout.write("")
        self.stdout.write(_("Demo logins (password: %(password)s)") % {"password": password})
        header = (_("user name"), _("role"), _("scope"))
        rows = [
            (login.username, str(Role(login.role).label), login.scope) for login in result.logins
        ]
        width = max(len(r[0]) for r in [header, *rows]) + 2
        role_width = max(_display_width(r[1]) for r in [header, *rows]) + 2
        for i, (username, role, scope) in enumerate([header, *rows]):
            line = username.ljust(width) + _pad(role, role_width) + scope
            if i > 0:
                login = result.logins[i - 1]
                if login.status == LoginStatus.TAKEN:
                    line += "  " + _("(not created: a user that is not demo data has this name)")
            self.stdout.write(line)
        if any(login.status == LoginStatus.EXISTING for login in result.logins):
            self.stdout.write(
                _("Demo users that were already there keep their password if it was changed.")
            )


def _counts(counts: Counter[str], choices: type[models.TextChoices]) -> str:
    """“Closed 2,311, Rectification ordered 19, …” in the order of the choices."""
    parts = [
        f"{choices(value).label} {counts[value]:,}" for value in choices.values if counts[value]
    ]
    return _(", ").join(parts) if parts else _("none")


def _display_width(text: str) -> int:
    """Columns on a terminal: CJK characters take two."""
    return sum(2 if ord(c) > 0x2E80 else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(1, width - _display_width(text))
