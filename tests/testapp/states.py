"""The Widget lifecycle: draft → submitted → approved | rejected; approved is terminal."""

from django.utils.translation import gettext_lazy as _

from motcua.kernel.errors import InvalidInput
from motcua.workflow.machine import StateMachine, Transition
from motcua.workflow.registry import register


def _note_required(obj, actor, context):  # type: ignore[no-untyped-def]
    if not context.get("note"):
        raise InvalidInput(code="widget.note_required", message=_("Cần ghi chú."))


def _same_agency(obj, actor) -> bool:  # type: ignore[no-untyped-def]
    return actor.agency_id == obj.owner_agency_id


WIDGET_MACHINE = register(
    StateMachine(
        name="testapp.widget",
        model_label="testapp.Widget",
        field="state",
        states=[
            ("draft", _("Nháp")),
            ("submitted", _("Đã gửi")),
            ("approved", _("Đã duyệt")),
            ("rejected", _("Từ chối")),
        ],
        initial="draft",
        terminal=frozenset({"approved"}),
        transitions=[
            Transition("submit", frozenset({"draft", "rejected"}), "submitted", _("Gửi")),
            Transition(
                "approve",
                frozenset({"submitted"}),
                "approved",
                _("Duyệt"),
                roles=frozenset({"signer"}),
                authorize=_same_agency,
            ),
            Transition(
                "reject",
                frozenset({"submitted"}),
                "rejected",
                _("Từ chối"),
                roles=frozenset({"signer"}),
                guards=(_note_required,),
            ),
        ],
    )
)
