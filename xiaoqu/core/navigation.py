"""The side menu, by role. A menu entry exists only for a page the user can use."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from xiaoqu.accounts.choices import Role
from xiaoqu.core.jurisdiction import ScopeKind


@dataclass(frozen=True)
class Item:
    label: str | Promise
    url_name: str
    icon: str
    scopes: tuple[str, ...] | None = None  # None: every scope
    admin_only: bool = False
    roles: tuple[str, ...] | None = None  # None: every role


@dataclass(frozen=True)
class Section:
    label: str | Promise
    items: tuple[Item, ...]


ALL_BUT_PUBLIC = None
DISTRICT = (ScopeKind.DISTRICT,)
INTERNAL = (ScopeKind.DISTRICT, ScopeKind.SUBDISTRICT, ScopeKind.DEPARTMENT)

DISPATCHING = (Role.DISPATCHER, Role.LEADER, Role.ADMIN)
PATROLLERS = (Role.OFFICER, Role.SUBDISTRICT_MANAGER)
ANALYSTS = (
    Role.LEADER,
    Role.DISPATCHER,
    Role.ADMIN,
    Role.LEGAL,
    Role.OFFICER,
    Role.SUBDISTRICT_MANAGER,
    Role.LIAISON,
)
RENOVATION = (
    Role.DISPATCHER,
    Role.LEADER,
    Role.ADMIN,
    Role.OFFICER,
    Role.SUBDISTRICT_MANAGER,
    Role.PROPERTY_STAFF,
)

BUREAU = (Role.DISPATCHER, Role.LEADER, Role.ADMIN, Role.LEGAL)
UNITS = (Role.LIAISON, Role.OFFICER, Role.SUBDISTRICT_MANAGER)
COOPERATING = (*BUREAU, *UNITS)
EDUCATORS = (*COOPERATING, Role.STUDIO_MEMBER)
TRAINEES = (*COOPERATING, Role.PROPERTY_STAFF)
CASEBOOK = (*BUREAU, Role.OFFICER)

MENU: tuple[Section, ...] = (
    Section(_("Overview"), (Item(_("Home"), "home", "house"),)),
    Section(
        _("Complaints and leads"),
        (
            Item(_("My to-do list"), "intake:todo", "list-check", roles=(Role.OFFICER,)),
            Item(_("New complaint"), "intake:complaint_new", "telephone-plus", roles=DISPATCHING),
            Item(
                _("New complaint (patrol finding)"),
                "intake:complaint_new",
                "binoculars",
                roles=(Role.OFFICER, Role.SUBDISTRICT_MANAGER),
            ),
            Item(
                _("Report a problem"),
                "intake:complaint_new",
                "megaphone",
                roles=(Role.PROPERTY_STAFF,),
            ),
            Item(_("Awaiting dispatch"), "intake:dispatch_inbox", "inbox", roles=DISPATCHING),
            Item(_("Manual triage"), "triage:queue", "funnel", DISTRICT, roles=DISPATCHING),
            Item(
                _("Complaints"),
                "intake:complaint_list",
                "chat-square-text",
                (ScopeKind.DISTRICT, ScopeKind.SUBDISTRICT),
            ),
            Item(
                _("My reports"),
                "intake:complaint_list",
                "journal-check",
                roles=(Role.PROPERTY_STAFF,),
            ),
            Item(
                _("Leads"),
                "intake:lead_list",
                "signpost-split",
                (ScopeKind.DISTRICT, ScopeKind.SUBDISTRICT),
            ),
        ),
    ),
    Section(
        _("Prevention at the estate"),
        (
            Item(_("My patrols"), "patrols:my", "binoculars", roles=PATROLLERS),
            Item(
                _("Patrol tasks"),
                "patrols:task_list",
                "calendar-check",
                (ScopeKind.DISTRICT, ScopeKind.SUBDISTRICT, ScopeKind.STUDIO),
            ),
            Item(
                _("Patrol coverage"),
                "patrols:coverage",
                "grid-3x3-gap",
                (ScopeKind.DISTRICT, ScopeKind.SUBDISTRICT),
            ),
            Item(_("Patrol frequency"), "patrols:frequency", "stopwatch", DISTRICT),
            Item(_("Grading scheme"), "estates:grade_scheme", "speedometer", INTERNAL),
            Item(
                _("Studio pages"),
                "studios:studio_list",
                "shop-window",
                (ScopeKind.DISTRICT, ScopeKind.SUBDISTRICT),
            ),
            Item(_("My studio"), "studios:my_studio", "shop-window", roles=(Role.STUDIO_MEMBER,)),
            Item(
                _("Report an early sign"),
                "studios:report_new",
                "megaphone",
                roles=(Role.STUDIO_MEMBER,),
            ),
            Item(
                _("My early-sign reports"),
                "studios:my_reports",
                "journal-check",
                roles=(Role.STUDIO_MEMBER,),
            ),
            Item(
                _("Renovation register"), "renovations:renovation_list", "hammer", roles=RENOVATION
            ),
            Item(_("Company desk"), "credit:desk", "briefcase", roles=(Role.PROPERTY_STAFF,)),
        ),
    ),
    Section(
        _("Penalty cases"),
        (
            Item(
                _("Cases"),
                "cases:case_list",
                "folder2-open",
                roles=(Role.OFFICER, Role.DISPATCHER, Role.LEADER, Role.ADMIN),
            ),
            Item(_("Legal review"), "cases:review_queue", "shield-check", roles=(Role.LEGAL,)),
            Item(_("Approvals"), "cases:approvals", "check2-square", roles=(Role.LEADER,)),
        ),
    ),
    Section(
        _("Referrals and supervision"),
        (
            Item(_("Referral inbox"), "referrals:inbox", "envelope-paper", INTERNAL),
            Item(_("Referrals"), "referrals:referral_list", "arrow-left-right", INTERNAL),
            Item(_("Assistance requests"), "referrals:assistance_list", "life-preserver", INTERNAL),
            Item(_("Supervision board"), "supervision:board", "speedometer2", INTERNAL),
            Item(_("Urge notices"), "supervision:urges", "megaphone", INTERNAL),
            Item(
                _("Event log integrity"),
                "audit:integrity",
                "shield-check",
                DISTRICT,
                roles=(Role.LEADER, Role.ADMIN),
            ),
        ),
    ),
    Section(
        _("Analytics and assessment"),
        (
            Item(_("Dashboard"), "analytics:mine", "graph-up", roles=ANALYSTS),
            Item(
                _("Inaction, slow and wrong action"),
                "oversight:lapse_list",
                "hourglass-split",
                roles=ANALYSTS,
            ),
            Item(_("Pilot estates"), "oversight:pilot", "flag", roles=ANALYSTS),
            Item(_("Assessment"), "assessment:evaluation", "clipboard-data", roles=ANALYSTS),
            Item(_("Assessment schemes"), "assessment:scheme_list", "sliders2", roles=ANALYSTS),
            Item(_("Reports"), "assessment:reports", "file-earmark-bar-graph", roles=ANALYSTS),
            Item(_("Work plan"), "assessment:plan", "calendar-range", roles=ANALYSTS),
        ),
    ),
    Section(
        _("Working together"),
        (
            Item(_("Consultation meetings"), "meetings:meeting_list", "people", roles=COOPERATING),
            Item(
                _("Action items of meetings"),
                "meetings:action_item_list",
                "check2-square",
                DISTRICT,
                roles=BUREAU,
            ),
            Item(_("Our action items"), "meetings:our_action_items", "list-check", roles=UNITS),
            Item(_("Case clinics"), "clinics:clinic_list", "clipboard2-pulse", roles=COOPERATING),
            Item(
                _("Chronic problems"),
                "clinics:clinic_suggestions",
                "lightbulb",
                DISTRICT,
                roles=DISPATCHING,
            ),
            Item(_("Legal education"), "outreach:event_list", "easel", roles=EDUCATORS),
            Item(
                _("Property company trainings"),
                "outreach:training_list",
                "mortarboard",
                roles=TRAINEES,
            ),
            Item(_("Exemplary cases"), "exemplary:list", "journal-richtext", roles=CASEBOOK),
            Item(_("Public exemplary cases"), "exemplary:public_list", "globe", roles=CASEBOOK),
        ),
    ),
    Section(
        _("Property company credit"),
        (
            Item(_("Credit demerits"), "credit:queue", "patch-exclamation", INTERNAL),
            Item(_("Company credit ranking"), "credit:ranking", "bar-chart-steps", INTERNAL),
            Item(_("Our credit record"), "credit:my_record", "award", roles=(Role.PROPERTY_STAFF,)),
            Item(_("Demerit scoring rules"), "credit:rule_list", "list-ol"),
        ),
    ),
    Section(
        _("Base data"),
        (
            Item(_("Estates"), "estates:estate_list", "buildings"),
            Item(
                _("Subdistricts"), "regions:subdistrict_list", "map", (*INTERNAL, ScopeKind.STUDIO)
            ),
            Item(_("Neighbourhood committees"), "regions:committee_list", "people"),
            Item(_("Property companies"), "estates:company_list", "briefcase"),
            Item(_("Project managers"), "estates:manager_list", "person-badge"),
            Item(_("Owners' committees"), "estates:owners_committee_list", "person-workspace"),
            Item(_("Community studios"), "estates:studio_list", "shop"),
            Item(_("Departments"), "departments:department_list", "diagram-3"),
        ),
    ),
    Section(
        _("Legal catalog"),
        (
            Item(_("Violation types"), "law:violationtype_list", "exclamation-octagon"),
            Item(_("Referral targets"), "law:referraltarget_list", "arrow-left-right"),
            Item(_("Deadline rules"), "law:deadlinerule_list", "alarm"),
            Item(_("Thresholds"), "law:threshold_list", "sliders"),
            Item(_("Statutes"), "law:statute_list", "journal-text"),
            Item(_("Provisions"), "law:provision_list", "paragraph"),
            Item(_("Working-day calendar"), "law:calendar", "calendar3"),
        ),
    ),
    Section(
        _("Administration"),
        (
            Item(_("Imports"), "core:import_list", "upload", DISTRICT, admin_only=True),
            Item(_("Triage models"), "triage:models", "cpu", DISTRICT, roles=DISPATCHING),
            Item(_("Users"), "accounts:user_list", "person-gear", DISTRICT, admin_only=True),
            Item(_("Login log"), "accounts:login_log", "shield-lock", DISTRICT, admin_only=True),
            Item(
                _("Document templates"),
                "documents:templates",
                "file-earmark-word",
                DISTRICT,
                admin_only=True,
            ),
            Item(_("Maintenance (admin)"), "admin:index", "tools", DISTRICT, admin_only=True),
        ),
    ),
)


def menu_for(user: Any, path: str) -> list[dict[str, Any]]:
    sections: list[dict[str, Any]] = []
    for section in MENU:
        items = []
        for item in section.items:
            if (
                item.scopes is not None
                and user.scope_kind not in item.scopes
                and not user.is_superuser
            ):
                continue
            if item.admin_only and not user.is_platform_admin:
                continue
            if item.roles is not None and user.role not in item.roles:
                continue
            url = reverse(item.url_name)
            active = path == url if url == "/" else path.startswith(url)
            items.append(
                {
                    "label": item.label,
                    "url": url,
                    "icon": item.icon,
                    "active": active,
                    "name": item.url_name,
                }
            )
        if items:
            sections.append({"label": section.label, "items": items})
    # Only the most specific entry is active (/complaints/new/ is not also /complaints/).
    longest = max((len(i["url"]) for s in sections for i in s["items"] if i["active"]), default=0)
    for s in sections:
        for i in s["items"]:
            i["active"] = i["active"] and len(i["url"]) == longest
    return sections
