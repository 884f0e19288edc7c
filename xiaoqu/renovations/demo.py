"""Demo (演示数据): the renovation register of the Putuo demo, and a few renovation
complaints so that the cross-check shows both results.

A few hundred renovations over the last year at the estates of the companies that have demo
staff (registered by that staff), about 10 % touching the structure, some in progress now;
then complaints about renovation at units registered for structural works (→ structure
damage check flagged) and at units not in the register (→ unregistered renovation
proposed). Deterministic from the seed; a second call creates nothing."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from xiaoqu.accounts.choices import Role
from xiaoqu.accounts.models import User
from xiaoqu.estates.models import Estate
from xiaoqu.intake.choices import Channel
from xiaoqu.intake.models import Complaint, Lead

from .models import Renovation, RenovationCheck
from .services import RenovationData, renovation_register

TARGET = 300
PER_ESTATE = 4
COMPLAINTS_EACH = 3  # structural, and unregistered

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡"
GIVEN = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛"]
CONTRACTORS = [
    "上海安居装饰工程有限公司",
    "上海美家装潢有限公司",
    "普陀区宜居装饰工作室",
    "上海锦程建筑装饰有限公司",
    "上海申丰装饰设计有限公司",
    "",
]
SCOPES = [
    "厨房、卫生间翻新，更换地砖和墙砖",
    "全屋墙面重新粉刷，更换木地板",
    "更换门窗，阳台封闭改造",
    "卫生间防水重做，更换洁具",
    "水电线路改造，吊顶",
    "室内整体装修：地面、墙面、橱柜",
]
STRUCTURAL_SCOPES = [
    "拆除客厅与餐厅之间的隔墙，扩大空间（涉及承重结构，已出具设计方案）",
    "卫生间移位，楼板开洞，涉及结构",
    "阳台与卧室之间墙体拆改，涉及承重墙，需结构鉴定",
]
STRUCTURAL_TEXTS = [
    "{estate}{b}号楼{r}室装修一直在敲墙，整栋楼都在震，担心把承重墙敲坏了",
    "{b}号楼{r}室在砸墙，施工噪音很大，听说要打通两个房间，怕破坏结构",
    "反映{estate}{b}号楼{r}室装修拆墙，楼下墙面出现裂缝",
]
UNREGISTERED_TEXTS = [
    "{estate}{b}号楼{r}室最近在装修，没看到物业贴装修公告，天天电钻声",
    "{b}号楼{r}室装修砸墙，物业说没有登记过，请城管来查一下",
    "{estate}{b}号楼{r}室装修队晚上还在施工，施工噪音扰民，不知道有没有申报",
]


@dataclass
class DemoRenovationsResult:
    renovations: int = 0
    structural: int = 0
    in_progress: int = 0
    complaints: int = 0
    checks: dict[str, int] | None = None
    skipped: str = ""  # "already" | "no_staff"


def _phone(rng: random.Random) -> str:
    return f"1{rng.choice('3589')}{rng.randint(0, 9)}{rng.randint(10_000_000, 99_999_999)}"


def _room(rng: random.Random) -> str:
    return f"{rng.randint(1, 18)}{rng.randint(1, 4):02d}"


def demo_renovations(*, district: Any, seed: int, now: dt.datetime) -> DemoRenovationsResult:
    """Generate the demo renovation register and its complaints (idempotent)."""
    result = DemoRenovationsResult()
    if Renovation.objects.filter(district=district, is_demo=True).exists():
        result.skipped = "already"
        return result
    staff: dict[int, User] = {}
    for user in User.objects.filter(
        role=Role.PROPERTY_STAFF, district=district, is_demo=True, is_active=True
    ).order_by("pk"):
        if user.property_company_id is not None:
            staff.setdefault(user.property_company_id, user)
    estates = list(
        Estate.objects.filter(
            district=district, is_demo=True, property_company_id__in=list(staff)
        ).order_by("pk")
    )
    dispatcher = (
        User.objects.filter(role=Role.DISPATCHER, district=district, is_active=True)
        .order_by("-is_demo", "pk")
        .first()
    )
    if not estates:
        result.skipped = "no_staff"
        return result
    rng = random.Random(seed * 7919 + 6)
    today = timezone.localtime(now).date()
    count = min(TARGET, PER_ESTATE * len(estates))
    taken: set[tuple[int, str, str]] = set()
    structural_now: list[Renovation] = []
    created: list[int] = []
    with transaction.atomic():
        for n in range(count):
            estate = estates[n % len(estates)] if n < len(estates) else rng.choice(estates)
            buildings = max(2, min(estate.buildings or 12, 40))
            building, room = str(rng.randint(1, buildings)), _room(rng)
            if (estate.pk, building, room) in taken:
                continue
            taken.add((estate.pk, building, room))
            # The first few: structural works going on now (complaints follow below).
            forced = n < COMPLAINTS_EACH
            structural = forced or rng.random() < 0.09
            if forced or rng.random() < 0.18:
                start = today - dt.timedelta(days=rng.randint(3, 25))
            else:
                start = today - dt.timedelta(days=rng.randint(-20, 360))
            end = start + dt.timedelta(days=rng.randint(20, 100))
            registered = min(
                timezone.make_aware(
                    dt.datetime.combine(start - dt.timedelta(days=rng.randint(1, 10)), dt.time(9))
                )
                + dt.timedelta(minutes=rng.randint(0, 480)),
                now,
            )
            renovation = renovation_register(
                actor=staff[estate.property_company_id],
                data=RenovationData(
                    estate=estate,
                    building=building,
                    room=room,
                    owner_name=rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(["", *GIVEN]),
                    owner_phone=_phone(rng),
                    start_date=start,
                    end_date=end,
                    contractor_name=rng.choice(CONTRACTORS),
                    contractor_phone=_phone(rng),
                    scope=rng.choice(STRUCTURAL_SCOPES if structural else SCOPES),
                    structural=structural,
                    facade=rng.random() < 0.12,
                    agreement_signed=rng.random() < 0.85,
                ),
                at=registered,
            )
            created.append(renovation.pk)
            result.renovations += 1
            result.structural += int(renovation.structural)
            if renovation.status_on(today) == "in_progress":
                result.in_progress += 1
                if renovation.structural and len(structural_now) < COMPLAINTS_EACH:
                    structural_now.append(renovation)
        Renovation.objects.filter(pk__in=created).update(is_demo=True)
        complaints = _complaints(
            rng=rng,
            estates=estates,
            taken=taken,
            structural=structural_now,
            dispatcher=dispatcher,
            now=now,
        )
        Complaint.objects.filter(pk__in=[c.pk for c in complaints]).update(is_demo=True)
        Lead.objects.filter(pk__in=[c.lead_id for c in complaints]).update(is_demo=True)
        result.complaints = len(complaints)
        checks: dict[str, int] = {}
        for check_result in RenovationCheck.objects.filter(complaint__in=complaints).values_list(
            "result", flat=True
        ):
            checks[check_result] = checks.get(check_result, 0) + 1
        result.checks = checks
    return result


def _complaints(
    *,
    rng: random.Random,
    estates: list[Estate],
    taken: set[tuple[int, str, str]],
    structural: list[Renovation],
    dispatcher: User | None,
    now: dt.datetime,
) -> list[Complaint]:
    from xiaoqu.intake import services as intake

    units: list[tuple[Estate, str, str, str]] = [
        (r.estate, r.building, r.room, STRUCTURAL_TEXTS[i % len(STRUCTURAL_TEXTS)])
        for i, r in enumerate(structural)
    ]
    for i in range(COMPLAINTS_EACH):
        estate = estates[(i * 7) % len(estates)]
        while True:
            building, room = (
                str(rng.randint(1, max(2, min(estate.buildings or 12, 40)))),
                _room(rng),
            )
            if (estate.pk, building, room) not in taken:
                taken.add((estate.pk, building, room))
                break
        units.append((estate, building, room, UNREGISTERED_TEXTS[i % len(UNREGISTERED_TEXTS)]))
    out = []
    for n, (estate, building, room, text) in enumerate(units):
        received = now - dt.timedelta(hours=2 + 5 * n, minutes=rng.randint(0, 50))
        out.append(
            intake.complaint_create(
                actor=dispatcher,
                channel=Channel.HOTLINE if n % 2 == 0 else Channel.RESIDENT,
                content=text.format(estate=estate.name, b=building, r=room),
                address=f"{building}号楼{room}室",
                estate=estate,
                reporter_name=rng.choice(SURNAMES) + "先生",
                reporter_phone=_phone(rng),
                received_at=received,
                at=now,
            )
        )
    return out
