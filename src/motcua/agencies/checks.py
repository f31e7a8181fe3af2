"""Consistency rules of an agency: kind, level, parent, administrative unit and code.

``check_agency(draft, instance=…)`` collects every problem of a would-be agency into
one ``InvalidAgency`` (per-field messages), so that a form shows them all at once;
``DuplicateAgencyCode`` is raised on its own because it is a conflict, not a typo.
The rules (derived from Decree 118/2025 and QCVN 102:2016):

* the kind fixes the possible levels (a commune People's Committee is at commune level);
* a provincial or commune agency sits in a province or commune unit in force on the
  day it starts; a central agency sits in none;
* the parent is active, at the same or a higher level, and its unit contains the child's;
* ministries and provincial People's Committees hold the block's root code
  (``000.00.00.G09``, ``000.00.00.H56``); every other agency holds a code under its
  parent's block, except vertical-sector agencies, which keep their ministry's codes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from motcua.agencies.codes import parse_agency_code
from motcua.agencies.errors import DuplicateAgencyCode, InvalidAgency
from motcua.agencies.models import AdminUnit, AdminUnitLevel, Agency, AgencyKind, AgencyLevel
from motcua.agencies.selectors import descendant_ids

__all__ = ["KIND_LEVELS", "ROOT_KIND_LETTERS", "AgencyDraft", "check_agency"]

K, L = AgencyKind, AgencyLevel
KIND_LEVELS: dict[str, frozenset[str]] = {
    K.MINISTRY: frozenset({L.CENTRAL}),
    K.MINISTRY_UNIT: frozenset({L.CENTRAL}),
    K.MINISTRY_RECEPTION: frozenset({L.CENTRAL}),
    K.PROVINCIAL_PC: frozenset({L.PROVINCE}),
    K.DEPARTMENT: frozenset({L.PROVINCE}),
    K.PROVINCIAL_PASC: frozenset({L.PROVINCE}),
    K.BRANCH: frozenset({L.PROVINCE}),
    K.COMMUNE_PC: frozenset({L.COMMUNE}),
    K.COMMUNE_PASC: frozenset({L.COMMUNE}),
    K.RECEPTION_POINT: frozenset({L.COMMUNE}),
    K.SPECIALISED_UNIT: frozenset({L.PROVINCE, L.COMMUNE}),
    K.VERTICAL_SECTOR: frozenset({L.PROVINCE, L.COMMUNE}),
}
ROOT_KIND_LETTERS: dict[str, str] = {K.MINISTRY: "G", K.PROVINCIAL_PC: "H"}
_UNIT_LEVEL = {L.PROVINCE: AdminUnitLevel.PROVINCE, L.COMMUNE: AdminUnitLevel.COMMUNE}
_RANK: dict[str, int] = {L.CENTRAL: 0, L.PROVINCE: 1, L.COMMUNE: 2}


@dataclass
class AgencyDraft:
    """What an agency would look like after the write, with references resolved."""

    code: str
    name: str
    kind: str
    level: str
    parent: Agency | None = None
    admin_unit: AdminUnit | None = None
    short_name: str = ""
    is_vertical_sector: bool = False
    address: str = ""
    phone: str = ""
    email: str = ""
    portal_department_id: str = ""
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None


def _max_length(field: str) -> int:
    return int(getattr(Agency._meta.get_field(field), "max_length", 0) or 0)


def _check_texts(draft: AgencyDraft, errors: dict[str, list[str | Promise]]) -> None:
    if not draft.name.strip():
        errors.setdefault("name", []).append(_("Vui lòng nhập tên cơ quan."))
    for field in ("name", "short_name", "address", "phone", "email", "portal_department_id"):
        limit = _max_length(field)
        if len(getattr(draft, field)) > limit:
            errors.setdefault(field, []).append(_("Tối đa %(limit)s ký tự.") % {"limit": limit})
    if draft.email:
        try:
            validate_email(draft.email)
        except ValidationError:
            errors.setdefault("email", []).append(_("Địa chỉ thư điện tử không hợp lệ."))
    if draft.valid_from and draft.valid_to and draft.valid_to <= draft.valid_from:
        errors.setdefault("valid_to", []).append(
            _("Ngày ngừng hoạt động phải sau ngày bắt đầu hoạt động.")
        )


def _check_kind_and_unit(draft: AgencyDraft, errors: dict[str, list[str | Promise]]) -> None:
    if draft.kind not in AgencyKind.values:
        errors.setdefault("kind", []).append(_("Loại cơ quan không hợp lệ."))
        return
    if draft.level not in AgencyLevel.values:
        errors.setdefault("level", []).append(_("Cấp cơ quan không hợp lệ."))
        return
    allowed = KIND_LEVELS[draft.kind]
    if draft.level not in allowed:
        errors.setdefault("level", []).append(
            _("“%(kind)s” chỉ có thể ở: %(levels)s.")
            % {
                "kind": AgencyKind(draft.kind).label,
                "levels": ", ".join(
                    str(AgencyLevel(level).label)
                    for level in sorted(allowed, key=lambda level: _RANK[level])
                ),
            }
        )
        return
    unit = draft.admin_unit
    if draft.level == L.CENTRAL:
        if unit is not None:
            errors.setdefault("admin_unit_code", []).append(
                _("Cơ quan trung ương không gắn với đơn vị hành chính cấp tỉnh hoặc cấp xã.")
            )
        return
    expected = _UNIT_LEVEL[AgencyLevel(draft.level)]
    if unit is None:
        errors.setdefault("admin_unit_code", []).append(
            _("Cơ quan %(level)s phải gắn với một đơn vị hành chính %(unit_level)s.")
            % {
                "level": AgencyLevel(draft.level).label.lower(),
                "unit_level": expected.label.lower(),
            }
        )
        return
    if unit.level != expected:
        errors.setdefault("admin_unit_code", []).append(
            _("%(unit)s không phải đơn vị hành chính cấp %(unit_level)s.")
            % {"unit": unit.name, "unit_level": expected.label.lower()}
        )
    if draft.valid_from and not unit.is_valid_on(draft.valid_from):
        errors.setdefault("admin_unit_code", []).append(
            _("%(unit)s không có hiệu lực vào ngày %(date)s.")
            % {"unit": unit.name, "date": draft.valid_from.strftime("%d/%m/%Y")}
        )


def _check_parent(
    draft: AgencyDraft, instance: Agency | None, errors: dict[str, list[str | Promise]]
) -> None:
    parent = draft.parent
    if parent is None:
        return
    if instance is not None and (
        parent.pk == instance.pk or parent.pk in descendant_ids(instance.pk)
    ):
        errors.setdefault("parent_code", []).append(
            _(
                "Không thể chọn chính cơ quan này hoặc một cơ quan trực thuộc nó làm cơ quan cấp trên."
            )
        )
        return
    if not parent.is_active:
        errors.setdefault("parent_code", []).append(
            _("Cơ quan cấp trên %(parent)s đã ngừng hoạt động.") % {"parent": parent.name}
        )
    if draft.level in _RANK and _RANK[parent.level] > _RANK[draft.level]:
        errors.setdefault("parent_code", []).append(
            _("Cơ quan cấp trên phải cùng cấp hoặc cấp cao hơn; %(parent)s là cơ quan %(level)s.")
            % {"parent": parent.name, "level": AgencyLevel(parent.level).label.lower()}
        )
    unit, parent_unit = draft.admin_unit, parent.admin_unit
    enclosing = set()
    if unit is not None:
        enclosing = {unit.pk, unit.parent_id}
        if unit.parent is not None:
            enclosing.add(unit.parent.parent_id)  # a legacy commune's province, via its district
    if unit is not None and parent_unit is not None and parent_unit.pk not in enclosing:
        errors.setdefault("admin_unit_code", []).append(
            _("%(unit)s không thuộc địa bàn của cơ quan cấp trên (%(parent_unit)s).")
            % {"unit": unit.name, "parent_unit": parent_unit.name}
        )


def _check_code(draft: AgencyDraft, errors: dict[str, list[str | Promise]]) -> None:
    code = parse_agency_code(draft.code)
    letter = ROOT_KIND_LETTERS.get(draft.kind)
    if letter is not None:
        if not code.is_root or code.block_letter != letter:
            errors.setdefault("code", []).append(
                _("Mã của “%(kind)s” phải có dạng 000.00.00.%(letter)snn.")
                % {"kind": AgencyKind(draft.kind).label, "letter": letter}
            )
        return
    if draft.kind == K.VERTICAL_SECTOR or draft.is_vertical_sector:
        return
    if code.is_root:
        errors.setdefault("code", []).append(
            _(
                "Mã 000.00.00.Xnn dành cho bộ, ngành hoặc UBND cấp tỉnh; cơ quan này cần mã của đơn vị trực thuộc."
            )
        )
    if draft.parent is not None:
        parent_block = parse_agency_code(draft.parent.code).block
        if code.block != parent_block:
            errors.setdefault("code", []).append(
                _("Mã định danh phải thuộc khối %(block)s của cơ quan cấp trên.")
                % {"block": parent_block}
            )


def _check_children(
    draft: AgencyDraft, instance: Agency | None, errors: dict[str, list[str | Promise]]
) -> None:
    if instance is None or draft.level == instance.level or draft.level not in _RANK:
        return
    higher = [
        level
        for level in instance.children.values_list("level", flat=True)
        if _RANK[level] < _RANK[draft.level]
    ]
    if higher:
        errors.setdefault("level", []).append(
            _("Còn %(count)s cơ quan trực thuộc ở cấp cao hơn cấp mới.") % {"count": len(higher)}
        )


def check_agency(draft: AgencyDraft, *, instance: Agency | None = None) -> None:
    """Raise ``InvalidAgency`` (all field errors) or ``DuplicateAgencyCode``; else return.

    ``instance`` is the agency being changed (``None`` when creating); the code format
    itself is checked first and raises ``InvalidAgencyCode``.
    """
    parse_agency_code(draft.code)
    errors: dict[str, list[str | Promise]] = {}
    _check_texts(draft, errors)
    _check_kind_and_unit(draft, errors)
    _check_parent(draft, instance, errors)
    if "kind" not in errors:
        _check_code(draft, errors)
    _check_children(draft, instance, errors)
    if errors:
        raise InvalidAgency(field_errors=errors)
    clash = Agency.objects.filter(code=draft.code)
    if instance is not None:
        clash = clash.exclude(pk=instance.pk)
    if clash.exists():
        raise duplicate_code_error(draft.code)


def duplicate_code_error(code: str) -> DuplicateAgencyCode:
    error = DuplicateAgencyCode(params={"code": code})
    error.field_errors = {"code": [error.message]}
    return error
