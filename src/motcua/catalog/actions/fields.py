"""Fields (lĩnh vực): the reference list that groups procedures."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from motcua.audit import actions as audit
from motcua.catalog.actions import _rows
from motcua.catalog.models import Field
from motcua.kernel.actors import Actor
from motcua.kernel.errors import InvalidInput

__all__ = ["do_save_field"]


def do_save_field(code: str, *, actor: Actor, name: str) -> Field:
    """Create field ``code`` or rename it to ``name``; return it.

    Raise ``InvalidInput`` for an empty code or name (longer than the columns allow).
    """
    _rows.require_catalog_admin(actor)
    code, name = code.strip(), name.strip()
    errors: dict[str, list[str]] = {}
    if not code or len(code) > 40:
        errors["code"] = [_("Mã lĩnh vực phải có từ 1 đến 40 ký tự.")]
    if not name or len(name) > 255:
        errors["name"] = [_("Tên lĩnh vực phải có từ 1 đến 255 ký tự.")]
    if errors:
        raise InvalidInput(code="catalog.invalid_field", field_errors=errors)  # type: ignore[arg-type]
    with transaction.atomic():
        field, created = Field.objects.select_for_update().get_or_create(
            code=code, defaults={"name": name}
        )
        before = "" if created else field.name
        if not created and field.name != name:
            field.name = name
            field.save(update_fields=["name"])
        audit.record(
            actor=actor,
            action="catalog.field.save",
            aggregate_type="catalog.field",
            aggregate_id=field.pk,
            data={"code": code, "from": before, "to": name},
        )
    return field
