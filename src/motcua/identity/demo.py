"""Demo officials: one or more of each role in the Thanh Hóa demo agencies.

Every demo account has the password ``DEMO_PASSWORD`` (printed by ``motcua demo``);
``admin`` is also a Django superuser. Idempotent: existing accounts are left alone.
The demo citizens and business log in through the local e-ID provider (``fake_eid``);
their accounts here are made at their first login.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model

from motcua.agencies.demo import (
    COMMUNES,
    JUSTICE_DEPARTMENT_CODE,
    PROVINCIAL_PASC_CODE,
    PROVINCIAL_PC_CODE,
)
from motcua.agencies.selectors import get_agency_by_code
from motcua.identity.actions import do_create_official, do_record_eid_login
from motcua.identity.fake_eid import DEMO_IDENTITIES, SCOPE_CLAIMS
from motcua.identity.fake_eid import DEMO_PASSWORD as FAKE_EID_PASSWORD
from motcua.identity.models import Citizen
from motcua.identity.roles import Role
from motcua.kernel.actors import Actor

__all__ = ["DEMO_OFFICIALS", "DEMO_PASSWORD", "load_demo"]

DEMO_PASSWORD = "motcua-demo"  # noqa: S105  (documented demo password, never used in production)

_COMMUNE = COMMUNES[0]  # Phường Hạc Thành


@dataclass(frozen=True)
class DemoOfficial:
    username: str
    full_name: str
    title: str
    agency_code: str
    roles: tuple[Role, ...]
    is_superuser: bool = False


DEMO_OFFICIALS = [
    DemoOfficial("admin", "Quản trị hệ thống", "Quản trị hệ thống", PROVINCIAL_PC_CODE,
                 (Role.SYSTEM_ADMIN,), is_superuser=True),
    DemoOfficial("quantri.tinh", "Lê Văn Quản", "Chuyên viên Văn phòng UBND tỉnh",
                 PROVINCIAL_PC_CODE, (Role.AGENCY_ADMIN,)),
    DemoOfficial("danhmuc.tinh", "Phạm Thị Mục", "Chuyên viên kiểm soát thủ tục hành chính",
                 PROVINCIAL_PC_CODE, (Role.CATALOG_ADMIN,)),
    DemoOfficial("tiepnhan.tinh", "Nguyễn Thị Lan", "Công chức tiếp nhận", PROVINCIAL_PASC_CODE,
                 (Role.DESK_OFFICER,)),
    DemoOfficial("buuchinh.tinh", "Trần Văn Bưu", "Nhân viên bưu chính công ích",
                 PROVINCIAL_PASC_CODE, (Role.POSTAL_AGENT,)),
    DemoOfficial("hopdong.tinh", "Đỗ Thị Hòa", "Nhân viên hợp đồng", PROVINCIAL_PASC_CODE,
                 (Role.CONTRACT_STAFF,)),
    DemoOfficial("tiepnhan.hacthanh", "Hoàng Văn Minh", "Công chức tiếp nhận", _COMMUNE.pasc_code,
                 (Role.DESK_OFFICER,)),
    DemoOfficial("thuly.tuphap", "Vũ Thị Hương", "Chuyên viên Phòng Hành chính tư pháp",
                 JUSTICE_DEPARTMENT_CODE, (Role.HANDLER,)),
    DemoOfficial("xemxet.tuphap", "Bùi Văn Đức", "Trưởng phòng Hành chính tư pháp",
                 JUSTICE_DEPARTMENT_CODE, (Role.REVIEWER,)),
    DemoOfficial("kyduyet.tuphap", "Lê Thị Thanh", "Giám đốc Sở Tư pháp", JUSTICE_DEPARTMENT_CODE,
                 (Role.SIGNER,)),
    DemoOfficial("vanthu.tuphap", "Ngô Văn Sơn", "Văn thư Sở Tư pháp", JUSTICE_DEPARTMENT_CODE,
                 (Role.REGISTRY,)),
    DemoOfficial("thuly.hacthanh", "Đặng Thị Mai", "Công chức Tư pháp - Hộ tịch", _COMMUNE.pc_code,
                 (Role.HANDLER,)),
    DemoOfficial("xemxet.hacthanh", "Phan Văn Hùng", "Trưởng phòng Văn hóa - Xã hội",
                 _COMMUNE.pc_code, (Role.REVIEWER,)),
    DemoOfficial("kyduyet.hacthanh", "Trịnh Văn Long", "Phó Chủ tịch UBND phường",
                 _COMMUNE.pc_code, (Role.SIGNER,)),
    DemoOfficial("vanthu.hacthanh", "Lý Thị Ngọc", "Văn thư UBND phường", _COMMUNE.pc_code,
                 (Role.REGISTRY,)),
    # The second agency of the demo's inter-agency land procedures (liên thông).
    DemoOfficial("thuly.nnmt", "Đinh Văn Nông", "Chuyên viên Văn phòng Đăng ký đất đai",
                 "000.00.14.H56", (Role.HANDLER,)),
    DemoOfficial("xemxet.nnmt", "Cao Thị Thu", "Trưởng phòng Đất đai", "000.00.14.H56",
                 (Role.REVIEWER,)),
    DemoOfficial("kyduyet.nnmt", "Mai Văn Đạt", "Phó Giám đốc Sở Nông nghiệp và Môi trường",
                 "000.00.14.H56", (Role.SIGNER,)),
]  # fmt: skip


def load_demo() -> list[str]:
    """Create the demo officials that are missing; return the account list to print."""
    actor = Actor.system("demo")
    existing = set(
        get_user_model()
        ._default_manager.filter(username__in=[o.username for o in DEMO_OFFICIALS])
        .values_list("username", flat=True)
    )
    lines = [f"Tài khoản mẫu (mật khẩu chung: {DEMO_PASSWORD}):"]
    for spec in DEMO_OFFICIALS:
        agency = get_agency_by_code(spec.agency_code)
        if spec.username not in existing:
            do_create_official(
                actor=actor,
                username=spec.username,
                password=DEMO_PASSWORD,
                full_name=spec.full_name,
                agency=agency,
                roles=spec.roles,
                title=spec.title,
                is_superuser=spec.is_superuser,
            )
        roles = ", ".join(str(role.label) for role in spec.roles)
        lines.append(f"  {spec.username:<18} → {roles} → {agency.name} ({agency.code})")
    _register_eid_accounts(actor)
    lines.extend(eid_demo_lines())
    return lines


def _register_eid_accounts(actor: Actor) -> None:
    """Record the demo e-ID accounts as after a first login through the local provider.

    The same (issuer, subject) a login produces, so the demo data of other apps (online
    dossiers, data store) belongs to the account the citizen logs in to. Accounts below
    the minimum e-ID level cannot log in and get none. Idempotent.
    """
    issuer = settings.EID_ISSUER
    known = set(Citizen.objects.filter(issuer=issuer).values_list("subject", flat=True))
    for identity in DEMO_IDENTITIES:
        if identity.sub in known or identity.level < settings.EID_MIN_ASSURANCE_LEVEL:
            continue
        claims = {
            **identity.claims(SCOPE_CLAIMS),
            "iss": issuer,
            "sub": identity.sub,
            "acr": str(identity.level),
        }
        do_record_eid_login(claims, actor=actor)


def eid_demo_lines() -> list[str]:
    """Return the demo e-ID accounts of the local provider (``motcua fake eid``) to print.

    Their accounts are recorded by ``load_demo`` as after a first login, so that the
    online demo dossiers are theirs.
    """
    lines = [
        f"Công dân, doanh nghiệp: /tai-khoan/vneid/ → định danh điện tử giả lập "
        f"{settings.EID_ISSUER} (mật khẩu chung: {FAKE_EID_PASSWORD}):"
    ]
    for identity in DEMO_IDENTITIES:
        kind = "doanh nghiệp" if identity.is_business else "cá nhân"
        lines.append(f"  {identity.login:<18} → {identity.name} ({kind}, mức {identity.level})")
    return lines
