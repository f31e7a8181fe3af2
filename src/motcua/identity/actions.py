"""The write path of accounts: officials (accounts, roles, deactivation, login) and the
citizens and businesses who log in with the national e-ID.

Only a system administrator, or an agency administrator of the official's agency (or
of an agency above it), manages officials; only a system administrator grants the
system-administrator role or creates a superuser. Every function validates first —
nothing is written when it raises — and writes one audit row per change.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth import login as django_login
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from motcua.agencies.models import Agency
from motcua.audit import actions as audit
from motcua.identity import lockout
from motcua.identity.eid_claims import EidIdentity, parse_eid_claims
from motcua.identity.errors import (
    DuplicateUsername,
    EidAssuranceTooLow,
    InvalidCredentials,
    InvalidOfficial,
    OfficialAlreadyInactive,
    OfficialPermissionDenied,
    RoleAlreadyGranted,
    RoleNotGranted,
    UnknownRole,
)
from motcua.identity.models import Citizen, Official, RoleAssignment
from motcua.identity.permissions import check_can_manage_officials
from motcua.identity.roles import Role
from motcua.identity.selectors import get_actor
from motcua.kernel import clock
from motcua.kernel.actors import Actor, ActorKind

__all__ = [
    "do_create_official",
    "do_deactivate_official",
    "do_grant_role",
    "do_log_in",
    "do_record_eid_login",
    "do_revoke_role",
]

OFFICIAL = "identity.official"
CITIZEN = "identity.citizen"
ACCOUNT_BACKEND = "motcua.identity.backends.AccountBackend"


def _role(value: str) -> Role:
    if value not in Role.values:
        raise UnknownRole(
            params={"role": value}, field_errors={"roles": [_("Vai trò không tồn tại.")]}
        )
    return Role(value)


def _check_may_grant(actor: Actor, role: Role) -> None:
    if role is Role.SYSTEM_ADMIN and not actor.has_role(Role.SYSTEM_ADMIN):
        raise OfficialPermissionDenied(
            _("Chỉ quản trị hệ thống mới được giao vai trò quản trị hệ thống.")
        )


def do_create_official(
    *,
    actor: Actor,
    username: str,
    password: str,
    full_name: str,
    agency: Agency,
    roles: Iterable[str],
    title: str = "",
    is_superuser: bool = False,
) -> Official:
    """Create a user account and its official in ``agency`` with ``roles``; return it.

    Raise ``OfficialPermissionDenied``, ``UnknownRole``, ``InvalidOfficial`` (empty
    name, bad username, inactive agency, password refused by the password validators)
    or ``DuplicateUsername`` (compared without case); nothing is written then.
    """
    check_can_manage_officials(actor, agency)
    wanted = sorted({_role(value) for value in roles})
    for role in wanted:
        _check_may_grant(actor, role)
    if is_superuser and not actor.has_role(Role.SYSTEM_ADMIN):
        raise OfficialPermissionDenied(
            _("Chỉ quản trị hệ thống mới được tạo tài khoản quản trị tối cao.")
        )
    user_model = get_user_model()
    username, full_name, title = username.strip(), " ".join(full_name.split()), title.strip()
    errors: dict[str, list[str | Promise]] = {}
    if not full_name:
        errors["full_name"] = [_("Vui lòng nhập họ và tên.")]
    elif len(full_name) > Official._meta.get_field("full_name").max_length:  # type: ignore[operator]
        errors["full_name"] = [_("Họ và tên quá dài.")]
    if len(title) > 120:
        errors["title"] = [_("Chức vụ quá dài.")]
    if not agency.is_active:
        errors["agency"] = [_("Cơ quan này đã ngừng hoạt động.")]
    candidate = user_model(username=username, first_name=full_name[:150])
    try:
        candidate.clean_fields(exclude=["password"])
    except ValidationError as error:
        errors.setdefault("username", []).extend(error.message_dict.get("username", []))
    try:
        validate_password(password, user=candidate)
    except ValidationError as error:
        errors["password"] = list(error.messages)
    if errors:
        raise InvalidOfficial(field_errors=errors)
    if user_model._default_manager.filter(username__iexact=username).exists():
        raise _duplicate(username)
    now = clock.now()
    with transaction.atomic():
        try:
            with transaction.atomic():
                user = user_model._default_manager.create_user(
                    username=username, password=password, first_name=full_name[:150]
                )
        except IntegrityError:
            raise _duplicate(username) from None
        if is_superuser:
            user.is_superuser = user.is_staff = True
            user.save(update_fields=["is_superuser", "is_staff"])
        official = Official.objects.create(
            user=user, agency=agency, full_name=full_name, title=title, created_at=now
        )
        RoleAssignment.objects.bulk_create(
            [
                RoleAssignment(official=official, role=role, granted_at=now, granted_by=actor.ref)
                for role in wanted
            ]
        )
        audit.record(
            actor=actor,
            action="identity.official.created",
            aggregate_type=OFFICIAL,
            aggregate_id=official.pk,
            data={
                "agency": agency.code,
                "roles": [r.value for r in wanted],
                "is_superuser": is_superuser,
            },
        )
    return official


def _duplicate(username: str) -> DuplicateUsername:
    error = DuplicateUsername(params={"username": username})
    error.field_errors = {"username": [error.message]}
    return error


def do_grant_role(official: Official, *, actor: Actor, role: str) -> RoleAssignment:
    """Give ``official`` the ``role``; raise ``RoleAlreadyGranted`` if they hold it."""
    check_can_manage_officials(actor, official.agency)
    granted = _role(role)
    _check_may_grant(actor, granted)
    if RoleAssignment.objects.filter(official=official, role=granted).exists():
        raise RoleAlreadyGranted(params={"role": granted.label})
    with transaction.atomic():
        try:
            with transaction.atomic():
                assignment = RoleAssignment.objects.create(
                    official=official, role=granted, granted_at=clock.now(), granted_by=actor.ref
                )
        except IntegrityError:
            raise RoleAlreadyGranted(params={"role": granted.label}) from None
        audit.record(
            actor=actor,
            action="identity.official.role_granted",
            aggregate_type=OFFICIAL,
            aggregate_id=official.pk,
            data={"role": granted.value},
        )
    return assignment


def do_revoke_role(official: Official, *, actor: Actor, role: str) -> None:
    """Take ``role`` away from ``official``; raise ``RoleNotGranted`` if they do not hold it."""
    check_can_manage_officials(actor, official.agency)
    revoked = _role(role)
    _check_may_grant(actor, revoked)
    with transaction.atomic():
        deleted, _rows = RoleAssignment.objects.filter(official=official, role=revoked).delete()
        if not deleted:
            raise RoleNotGranted(params={"role": revoked.label})
        audit.record(
            actor=actor,
            action="identity.official.role_revoked",
            aggregate_type=OFFICIAL,
            aggregate_id=official.pk,
            data={"role": revoked.value},
        )


def do_deactivate_official(official: Official, *, actor: Actor, reason: str = "") -> Official:
    """Stop ``official`` working in the system: they can no longer log in or act.

    The account is deactivated too; roles are kept for the record. Raise
    ``OfficialPermissionDenied`` or ``OfficialAlreadyInactive``.
    """
    check_can_manage_officials(actor, official.agency)
    if not official.is_active:
        raise OfficialAlreadyInactive()
    with transaction.atomic():
        official.is_active = False
        official.save(update_fields=["is_active"])
        user = official.user
        user.is_active = False
        user.save(update_fields=["is_active"])
        audit.record(
            actor=actor,
            action="identity.official.deactivated",
            aggregate_type=OFFICIAL,
            aggregate_id=official.pk,
            data={"reason": reason},
        )
    return official


def _may_log_in(user: object) -> bool:
    if not getattr(user, "is_active", False):
        return False
    if getattr(user, "is_superuser", False):
        return True
    return Official.objects.filter(pk=getattr(user, "pk", None), is_active=True).exists()


def do_log_in(request: HttpRequest, *, username: str, password: str) -> Actor:
    """Log an official (or a superuser) in on ``request`` and return their actor.

    Raise ``LoginLocked`` while the username is locked out (even with the right
    password), ``InvalidCredentials`` for a wrong username or password or an account
    that is not an active official; each failure is counted (``identity.lockout``)
    and the count survives the error. A success clears the count.
    """
    username = username.strip()
    lockout.check_not_locked(username)
    user = authenticate(request, username=username, password=password)
    if user is None or not _may_log_in(user):
        lockout.record_failure(username)  # raises LoginLocked when this failure locks
        raise InvalidCredentials()
    with transaction.atomic():
        lockout.clear_failures(username)
        django_login(request, user)
        actor = get_actor(user)
        audit.record(
            actor=actor,
            action="identity.official.logged_in",
            aggregate_type=OFFICIAL,
            aggregate_id=user.pk,
        )
    return actor


_IDENTITY_FIELDS = (
    "kind",
    "full_name",
    "birth_date",
    "personal_id",
    "organisation_code",
    "representative_name",
    "assurance_level",
    "phone",
    "email",
    "address",
)


def _eid_username(identity: EidIdentity) -> str:
    # Stable, unique, and free of personal data: the account is keyed by (issuer, subject).
    digest = hashlib.sha256(f"{identity.issuer}\n{identity.subject}".encode()).hexdigest()
    return f"eid-{digest[:40]}"


def _upsert_citizen(identity: EidIdentity, now: Any) -> tuple[Citizen, list[str]]:
    values = {name: getattr(identity, name) for name in _IDENTITY_FIELDS}
    citizen = (
        Citizen.objects.select_for_update()
        .select_related("user")
        .filter(issuer=identity.issuer, subject=identity.subject)
        .first()
    )
    if citizen is not None:
        changed = [name for name, value in values.items() if getattr(citizen, name) != value]
        for name in changed:
            setattr(citizen, name, values[name])
        citizen.verified_at = now
        citizen.save(update_fields=[*changed, "verified_at"])
        return citizen, changed
    user_model = get_user_model()
    user = user_model._default_manager.create_user(username=_eid_username(identity))
    user.set_unusable_password()  # an e-ID account never logs in with a password here
    user.save(update_fields=["password"])
    citizen = Citizen.objects.create(
        user=user,
        issuer=identity.issuer,
        subject=identity.subject,
        created_at=now,
        verified_at=now,
        **values,
    )
    return citizen, list(_IDENTITY_FIELDS)


def do_record_eid_login(
    claims: Mapping[str, Any], *, actor: Actor, request: HttpRequest | None = None
) -> Citizen:
    """Record a login with the national e-ID and return the citizen (person or business).

    ``claims`` are the validated claims of the login (ID token and userinfo merged,
    ``identity.eid``). The account is found by (issuer, subject) and created on the
    first login; its identity is replaced by the provider's at every login, never typed
    by the user. One audit row names the citizen (kind, level, changed field names, no
    personal data); the actor recorded is ``actor``, or the citizen for a login of
    their own (an anonymous ``actor``). With ``request``, the citizen is logged in on
    it (Django's ``login`` rotates the session key).

    Raise ``EidInvalidClaims`` for missing or malformed claims and
    ``EidAssuranceTooLow`` below ``settings.EID_MIN_ASSURANCE_LEVEL``; nothing is
    written and nobody is logged in then.
    """
    identity = parse_eid_claims(claims)
    required = int(settings.EID_MIN_ASSURANCE_LEVEL)
    if identity.assurance_level < required:
        raise EidAssuranceTooLow(params={"level": identity.assurance_level, "required": required})
    now = clock.now()
    with transaction.atomic():
        try:
            with transaction.atomic():
                citizen, changed = _upsert_citizen(identity, now)
        except IntegrityError:  # the same account's first login in two tabs at once
            citizen, changed = _upsert_citizen(identity, now)
        citizen_actor = Actor(
            kind=ActorKind.CITIZEN,
            id=str(citizen.pk),
            display_name=citizen.full_name,
            user_id=citizen.pk,
        )
        audit.record(
            actor=citizen_actor if actor.kind is ActorKind.ANONYMOUS else actor,
            action="identity.citizen.logged_in",
            aggregate_type=CITIZEN,
            aggregate_id=citizen.pk,
            data={
                "kind": citizen.kind,
                "assurance_level": citizen.assurance_level,
                "first_login": citizen.created_at == now,
                "changed": sorted(changed),
            },
        )
        if request is not None:
            django_login(request, citizen.user, backend=ACCOUNT_BACKEND)
    return citizen
