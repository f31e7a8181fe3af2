"""Put procedures on, and take them off, a province's boundary-free list (Art 20)."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from motcua.agencies.models import AdminUnit, AdminUnitLevel
from motcua.audit import actions as audit
from motcua.catalog.actions import _publication, _rows
from motcua.catalog.models import BoundaryFreeListing, Procedure
from motcua.kernel.actors import Actor
from motcua.kernel.errors import Conflict, InvalidInput

__all__ = ["do_end_boundary_free_listing", "do_list_boundary_free"]

AGGREGATE = "catalog.boundaryfreelisting"


def _overlaps(
    procedure: Procedure,
    province: AdminUnit,
    start: dt.date,
    end: dt.date | None,
    exclude: int | None,
) -> bool:
    listings = BoundaryFreeListing.objects.filter(procedure=procedure, province=province)
    if exclude is not None:
        listings = listings.exclude(pk=exclude)
    for listing in listings:
        if (end is None or listing.valid_from < end) and (
            listing.valid_to is None or start < listing.valid_to
        ):
            return True
    return False


def do_list_boundary_free(
    procedure: Procedure,
    *,
    actor: Actor,
    province: AdminUnit,
    valid_from: dt.date,
    valid_to: dt.date | None = None,
) -> BoundaryFreeListing:
    """Put ``procedure`` on ``province``'s boundary-free list over [valid_from, valid_to).

    Raise ``InvalidInput`` when ``province`` is not a province or the dates are not in
    order, ``Conflict`` when the period overlaps a listing of the same procedure there.
    """
    _rows.require_catalog_admin(actor)
    if province.level != AdminUnitLevel.PROVINCE:
        raise InvalidInput(
            _("Danh sách phi địa giới do cấp tỉnh công bố: hãy chọn một tỉnh, thành phố."),
            code="catalog.not_a_province",
            field_errors={"province": [_("Không phải tỉnh, thành phố.")]},
        )
    if valid_to is not None and valid_to <= valid_from:
        raise InvalidInput(
            code="catalog.invalid_period",
            field_errors={"valid_to": [_("Ngày kết thúc phải sau ngày bắt đầu áp dụng.")]},
        )
    with transaction.atomic():
        Procedure.objects.select_for_update().filter(pk=procedure.pk).first()
        if _overlaps(procedure, province, valid_from, valid_to, None):
            raise Conflict(
                _("Thủ tục đã có trong danh sách phi địa giới của tỉnh này trong thời gian đó."),
                code="catalog.listing_overlap",
            )
        try:
            listing = BoundaryFreeListing.objects.create(
                procedure=procedure, province=province, valid_from=valid_from, valid_to=valid_to
            )
        except IntegrityError:
            raise Conflict(code="catalog.listing_overlap") from None
        _publication.bump_revisions([procedure.pk])
        audit.record(
            actor=actor,
            action=f"{AGGREGATE}.create",
            aggregate_type=AGGREGATE,
            aggregate_id=listing.pk,
            data={
                "code": procedure.code,
                "province": province.code,
                "valid_from": valid_from,
                "valid_to": valid_to,
            },
        )
    return listing


def do_end_boundary_free_listing(
    listing: BoundaryFreeListing, *, actor: Actor, valid_to: dt.date
) -> BoundaryFreeListing:
    """Take the procedure off the province's list from ``valid_to`` (exclusive).

    Raise ``InvalidInput`` when ``valid_to`` is not after the listing's start.
    """
    _rows.require_catalog_admin(actor)
    if valid_to <= listing.valid_from:
        raise InvalidInput(
            code="catalog.invalid_period",
            field_errors={"valid_to": [_("Ngày kết thúc phải sau ngày bắt đầu áp dụng.")]},
        )
    with transaction.atomic():
        listing = BoundaryFreeListing.objects.select_for_update().get(pk=listing.pk)
        before = listing.valid_to
        listing.valid_to = valid_to
        listing.save(update_fields=["valid_to"])
        _publication.bump_revisions([listing.procedure_id])
        audit.record(
            actor=actor,
            action=f"{AGGREGATE}.end",
            aggregate_type=AGGREGATE,
            aggregate_id=listing.pk,
            data={"from": before, "to": valid_to},
        )
    return listing
