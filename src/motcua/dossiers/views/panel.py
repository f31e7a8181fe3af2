"""The action panel of the dossier page: one small form and one action call per action.

Which actions appear is decided by ``selectors.list_available_actions`` (the state
machine, the roles, the agency); this module only knows, for each action name, what to
ask (its form) and which ``dossiers.actions`` function to call with the answers. Every
form carries the state the official saw (``expected_state``): if the dossier moved in
the meantime the action is not attempted and the official is told the dossier changed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from motcua.dossiers import actions
from motcua.dossiers.actions import ProvidedDocument, SupplementItem
from motcua.dossiers.enums import DigitisationExemption
from motcua.dossiers.forms import BootstrapFormMixin
from motcua.dossiers.models import Dossier, DossierDocument
from motcua.dossiers.paperwork import format_vnd
from motcua.identity.roles import Role
from motcua.identity.selectors import list_officials
from motcua.kernel import clock
from motcua.kernel.actors import Actor
from motcua.kernel.errors import ConcurrentTransition

__all__ = ["PANEL", "ActionForm", "PanelAction", "changed_error"]


def changed_error(dossier: Dossier) -> ConcurrentTransition:
    """Return the error shown when the dossier moved since the official loaded the page."""
    return ConcurrentTransition(
        _(
            "Hồ sơ vừa được người khác thay đổi (hiện ở trạng thái “%(state)s”). "
            "Thao tác chưa được thực hiện; hãy xem lại hồ sơ rồi thao tác lại nếu cần."
        ),
        params={"state": dossier.get_state_display()},
    )


class ActionForm(BootstrapFormMixin, forms.Form):
    """An action without inputs: only the state the official saw."""

    expected_state = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, dossier: Dossier, actor: Actor, **kwargs: Any) -> None:
        kwargs["initial"] = {"expected_state": dossier.state, **kwargs.get("initial", {})}
        super().__init__(*args, **kwargs)
        self.dossier, self.actor = dossier, actor
        self.add_inputs()
        self.style_widgets()

    def add_inputs(self) -> None:
        """Add the action's own fields (none here)."""

    def check_fresh(self) -> None:
        """Raise the "dossier changed" error when it is not in the state the official saw."""
        if self.cleaned_data.get("expected_state") != self.dossier.state:
            raise changed_error(self.dossier)

    @property
    def has_inputs(self) -> bool:
        return any(not field.is_hidden for field in self)


class NoteForm(ActionForm):
    def add_inputs(self) -> None:
        self.fields["note"] = forms.CharField(
            label=_("Ghi chú (không bắt buộc)"),
            max_length=1000,
            required=False,
            widget=forms.Textarea(attrs={"rows": 2}),
        )


class ReasonForm(ActionForm):
    def add_inputs(self) -> None:
        self.fields["reason"] = forms.CharField(
            label=_("Lý do"),
            max_length=2000,
            widget=forms.Textarea(attrs={"rows": 3}),
            error_messages={"required": _("Phải nêu rõ lý do.")},
        )


class StopForm(ReasonForm):
    def add_inputs(self) -> None:
        super().add_inputs()
        self.fields["legal_basis"] = forms.CharField(
            label=_("Căn cứ pháp lý (không bắt buộc)"), max_length=500, required=False
        )


class AssignForm(ActionForm):
    def add_inputs(self) -> None:
        handlers = list_officials(agency=self.dossier.current_agency, role=Role.HANDLER)
        if not self.actor.has_role(Role.REVIEWER, Role.SIGNER):
            handlers = handlers.filter(pk=self.actor.user_id)
        self.fields["assignee"] = forms.TypedChoiceField(
            label=_("Chuyên viên thụ lý"),
            coerce=int,
            choices=[("", _("— Chọn chuyên viên —")), *((o.pk, o.full_name) for o in handlers)],
            error_messages={"required": _("Phải chọn chuyên viên thụ lý.")},
        )


class ReferenceForm(ActionForm):
    def add_inputs(self) -> None:
        self.fields["reference"] = forms.CharField(
            label=_("Số biên lai"),
            max_length=80,
            required=False,
            help_text=_("Tổng phí, lệ phí: %(amount)s.")
            % {"amount": format_vnd(self.dossier.fee_total)},
        )


class ReturnForm(ActionForm):
    def add_inputs(self) -> None:
        self.fields["note"] = forms.CharField(
            label=_("Biên bản giao nhận hoặc số vận đơn (không bắt buộc)"),
            max_length=500,
            required=False,
        )
        if self.dossier.has_outstanding_fees:
            self.fields["payment_reference"] = forms.CharField(
                label=_("Số biên lai thu phí, lệ phí"),
                max_length=80,
                help_text=_("Người nhận nộp %(amount)s khi nhận kết quả.")
                % {"amount": format_vnd(self.dossier.fee_total)},
                error_messages={"required": _("Phải ghi số biên lai thu phí, lệ phí.")},
            )


def _documents(dossier: Dossier) -> list[DossierDocument]:
    return list(dossier.documents.select_related("procedure_document"))


class SupplementForm(ActionForm):
    """Every missing or defective document with its reason, in one request (Form 02)."""

    def add_inputs(self) -> None:
        self.document_rows = _documents(self.dossier)
        for document in self.document_rows:
            self.fields[f"doc_{document.pk}"] = forms.CharField(
                label=document.name,
                max_length=1000,
                required=False,
                help_text=_("Lý do cần bổ sung, sửa đổi (để trống nếu không cần)."),
            )
        self.fields["other_text"] = forms.CharField(
            label=_("Nội dung khác cần bổ sung"), max_length=1000, required=False
        )
        self.fields["other_reason"] = forms.CharField(
            label=_("Lý do"), max_length=1000, required=False
        )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if not self.items():
            self.add_error(None, _("Phải nêu ít nhất một nội dung cần bổ sung và lý do."))
        elif (data.get("other_text") or "").strip() and not (
            data.get("other_reason") or ""
        ).strip():
            self.add_error("other_reason", _("Phải nêu lý do."))
        return data

    def items(self) -> list[SupplementItem]:
        data = getattr(self, "cleaned_data", {})
        found = [
            SupplementItem(text=d.name, reason=data[f"doc_{d.pk}"].strip(), document_id=d.pk)
            for d in self.document_rows
            if (data.get(f"doc_{d.pk}") or "").strip()
        ]
        text = (data.get("other_text") or "").strip()
        if text:
            found.append(SupplementItem(text=text, reason=(data.get("other_reason") or "").strip()))
        return found


class ReceptionSupplementForm(SupplementForm):
    """At the desk: required documents not provided are listed with "Chưa nộp" by default."""

    def add_inputs(self) -> None:
        super().add_inputs()
        for document in self.document_rows:
            if document.is_mandatory and not document.is_provided:
                self.fields[f"doc_{document.pk}"].initial = gettext("Chưa nộp")


class ResubmitForm(ActionForm):
    def add_inputs(self) -> None:
        self.missing = [d for d in _documents(self.dossier) if not d.is_provided]
        self.fields["documents"] = forms.TypedMultipleChoiceField(
            label=_("Giấy tờ người nộp đã bổ sung"),
            coerce=int,
            choices=[(d.pk, d.name) for d in self.missing],
            widget=forms.CheckboxSelectMultiple,
            required=False,
        )

    def provided(self) -> list[ProvidedDocument]:
        chosen = set(self.cleaned_data.get("documents") or ())
        rows = []
        for document in self.missing:
            if document.pk not in chosen:
                continue
            catalogue = document.procedure_document
            copies = (catalogue.originals, catalogue.certified_copies, catalogue.photocopies)
            rows.append(
                ProvidedDocument(
                    procedure_document_id=document.procedure_document_id,
                    originals=copies[0] if any(copies) else 1,
                    certified_copies=copies[1],
                    photocopies=copies[2],
                )
            )
        return rows


def _pending_digitisation(dossier: Dossier) -> list[DossierDocument]:
    return [d for d in dossier.documents.all() if d.needs_digitisation]


class DigitiseForm(ActionForm):
    def add_inputs(self) -> None:
        self.fields["document"] = forms.TypedChoiceField(
            label=_("Thành phần hồ sơ"),
            coerce=int,
            choices=[(d.pk, d.name) for d in _pending_digitisation(self.dossier)],
        )
        self.fields["file"] = forms.FileField(
            label=_("Bản số hóa (PDF, JPEG, PNG)"),
            error_messages={"required": _("Phải chọn tệp bản số hóa.")},
        )


class ExemptForm(ActionForm):
    def add_inputs(self) -> None:
        self.fields["document"] = forms.TypedChoiceField(
            label=_("Thành phần hồ sơ"),
            coerce=int,
            choices=[(d.pk, d.name) for d in _pending_digitisation(self.dossier)],
        )
        self.fields["exemption"] = forms.ChoiceField(
            label=_("Không phải số hóa vì"),
            choices=[
                (value, label)
                for value, label in DigitisationExemption.choices
                if value != DigitisationExemption.SUBMITTED_ONLINE
            ],
        )
        self.fields["note"] = forms.CharField(
            label=_("Ghi chú"),
            max_length=500,
            required=False,
            help_text=_("Bắt buộc với tài liệu mật."),
        )


class ApologyForm(ReasonForm):
    def add_inputs(self) -> None:
        super().add_inputs()
        self.fields["new_due_date"] = forms.DateField(
            label=_("Ngày hẹn trả mới"),
            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            help_text=_("Phải là ngày làm việc, sau ngày hẹn hiện tại."),
            error_messages={"required": _("Phải chọn ngày hẹn trả mới.")},
        )
        self.fields["new_due_time"] = forms.TimeField(
            label=_("Giờ hẹn trả"),
            initial=dt.time(16, 30),
            widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        )

    def new_due_at(self) -> dt.datetime:
        data = self.cleaned_data
        return dt.datetime.combine(data["new_due_date"], data["new_due_time"], clock.VN_TZ)


def _local(moment: dt.datetime | None) -> str:
    return f"{clock.local(moment):%H:%M %d/%m/%Y}" if moment else ""


# --- what each action does ----------------------------------------------------------

Perform = Callable[[Any, Dossier, Actor], str]


def _receive(form: ActionForm, d: Dossier, a: Actor) -> str:
    actions.do_receive_dossier(d, actor=a)
    return gettext("Đã tiếp nhận hồ sơ %(code)s; hẹn trả kết quả lúc %(due)s.") % {
        "code": d.code,
        "due": _local(d.due_at),
    }


def _reception_supplement(form: SupplementForm, d: Dossier, a: Actor) -> str:
    actions.do_request_reception_supplement(d, actor=a, items=form.items())
    return gettext("Đã lập Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ (Mẫu 02).")


def _resubmit(form: ResubmitForm, d: Dossier, a: Actor) -> str:
    actions.do_record_reception_supplement(d, actor=a, documents=form.provided())
    return gettext("Đã ghi nhận giấy tờ bổ sung; hãy kiểm tra lại và quyết định tiếp nhận.")


def _refuse(form: ReasonForm, d: Dossier, a: Actor) -> str:
    actions.do_refuse_dossier(d, actor=a, reason=form.cleaned_data["reason"])
    return gettext("Đã từ chối tiếp nhận hồ sơ và lập Phiếu từ chối tiếp nhận (Mẫu 03).")


def _transfer(form: ActionForm, d: Dossier, a: Actor) -> str:
    actions.do_transfer_dossier(d, actor=a)
    return gettext("Đã chuyển hồ sơ đến %(agency)s.") % {"agency": d.current_agency.name}


def _assign(form: AssignForm, d: Dossier, a: Actor) -> str:
    actions.do_assign_dossier(d, actor=a, assignee_id=form.cleaned_data["assignee"])
    names = dict(form.fields["assignee"].choices)  # type: ignore[attr-defined]
    return gettext("Đã phân công %(name)s thụ lý hồ sơ.") % {
        "name": names.get(form.cleaned_data["assignee"], "")
    }


def _submit_for_review(form: NoteForm, d: Dossier, a: Actor) -> str:
    actions.do_submit_for_review(d, actor=a, note=form.cleaned_data["note"])
    return gettext("Đã trình lãnh đạo xem xét.")


def _approve(form: NoteForm, d: Dossier, a: Actor) -> str:
    actions.do_approve_dossier(d, actor=a, note=form.cleaned_data["note"])
    return gettext("Đã đồng ý và trình ký.")


def _send_back(form: ReasonForm, d: Dossier, a: Actor) -> str:
    actions.do_send_back_dossier(d, actor=a, reason=form.cleaned_data["reason"])
    return gettext("Đã trả lại hồ sơ để chuyên viên xử lý lại.")


def _sign(form: ActionForm, d: Dossier, a: Actor) -> str:
    actions.do_sign_result(d, actor=a)
    code = d.result.code if d.result is not None else ""
    return gettext("Đã ký duyệt kết quả %(code)s; kết quả đã chuyển về bộ phận một cửa.") % {
        "code": code
    }


def _forward(form: ActionForm, d: Dossier, a: Actor) -> str:
    actions.do_forward_to_next_agency(d, actor=a)
    return gettext("Đã chuyển hồ sơ đến %(agency)s (liên thông).") % {
        "agency": d.current_agency.name
    }


def _request_supplement(form: SupplementForm, d: Dossier, a: Actor) -> str:
    actions.do_request_supplement(d, actor=a, items=form.items())
    return gettext(
        "Đã gửi yêu cầu bổ sung qua bộ phận một cửa (Mẫu 02); thời gian giải quyết tạm dừng."
    )


def _receive_supplement(form: NoteForm, d: Dossier, a: Actor) -> str:
    actions.do_receive_supplement(d, actor=a, note=form.cleaned_data["note"])
    return gettext("Đã tiếp nhận hồ sơ bổ sung; ngày hẹn trả kết quả mới: %(due)s.") % {
        "due": _local(d.due_at)
    }


def _request_payment(form: ActionForm, d: Dossier, a: Actor) -> str:
    actions.do_request_payment(d, actor=a)
    return gettext("Đã yêu cầu người nộp thực hiện nghĩa vụ tài chính (%(amount)s).") % {
        "amount": format_vnd(d.fee_total)
    }


def _record_payment(form: ReferenceForm, d: Dossier, a: Actor) -> str:
    actions.do_record_payment(d, actor=a, reference=form.cleaned_data["reference"])
    return gettext("Đã xác nhận người nộp đã nộp phí, lệ phí.")


def _stop(form: StopForm, d: Dossier, a: Actor) -> str:
    data = form.cleaned_data
    actions.do_stop_processing(d, actor=a, reason=data["reason"], legal_basis=data["legal_basis"])
    return gettext("Đã dừng giải quyết hồ sơ và lập Thông báo dừng giải quyết.")


def _withdraw(form: ReasonForm, d: Dossier, a: Actor) -> str:
    actions.do_withdraw_dossier(d, actor=a, reason=form.cleaned_data["reason"])
    return gettext("Đã ghi nhận việc rút hồ sơ theo yêu cầu của người nộp.")


def _return_result(form: ReturnForm, d: Dossier, a: Actor) -> str:
    data = form.cleaned_data
    actions.do_return_result(
        d, actor=a, note=data["note"], payment_reference=data.get("payment_reference")
    )
    return gettext("Đã trả kết quả cho người nộp.")


def _document(form: ActionForm, d: Dossier) -> DossierDocument:
    wanted = form.cleaned_data["document"]
    return next(doc for doc in d.documents.all() if doc.pk == wanted)


def _digitise(form: DigitiseForm, d: Dossier, a: Actor) -> str:
    document = _document(form, d)
    actions.do_digitise_document(document, actor=a, uploaded_file=form.cleaned_data["file"])
    return gettext("Đã số hóa “%(name)s”.") % {"name": document.name}


def _exempt(form: ExemptForm, d: Dossier, a: Actor) -> str:
    document, data = _document(form, d), form.cleaned_data
    actions.do_mark_document_exempt(
        document, actor=a, exemption=data["exemption"], note=data["note"]
    )
    return gettext("Đã ghi nhận “%(name)s” không phải số hóa.") % {"name": document.name}


def _apology(form: ApologyForm, d: Dossier, a: Actor) -> str:
    actions.do_issue_apology(
        d, actor=a, reason=form.cleaned_data["reason"], new_due_at=form.new_due_at()
    )
    return gettext("Đã ban hành văn bản xin lỗi và hẹn lại ngày trả kết quả (Mẫu 04): %(due)s.") % {
        "due": _local(d.due_at)
    }


@dataclass(frozen=True)
class PanelAction:
    """What to ask for one action (``form``) and what to do with the answers."""

    form: type[ActionForm]
    perform: Perform
    # The action's field names (in ``ApplicationError.field_errors``) → the form's.
    field_map: tuple[tuple[str, str], ...] = ()


PANEL: dict[str, PanelAction] = {
    "receive": PanelAction(ActionForm, _receive),
    "request_reception_supplement": PanelAction(ReceptionSupplementForm, _reception_supplement),
    "resubmit": PanelAction(ResubmitForm, _resubmit),
    "refuse": PanelAction(ReasonForm, _refuse),
    "transfer": PanelAction(ActionForm, _transfer),
    "assign": PanelAction(AssignForm, _assign, (("assignee_id", "assignee"),)),
    "submit_for_review": PanelAction(NoteForm, _submit_for_review),
    "approve": PanelAction(NoteForm, _approve),
    "send_back": PanelAction(ReasonForm, _send_back),
    "sign_result": PanelAction(ActionForm, _sign),
    "sign_result_pending_payment": PanelAction(ActionForm, _sign),
    "forward_to_next_agency": PanelAction(ActionForm, _forward),
    "request_supplement": PanelAction(SupplementForm, _request_supplement),
    "receive_supplement": PanelAction(NoteForm, _receive_supplement),
    "request_payment": PanelAction(ActionForm, _request_payment),
    "record_payment": PanelAction(ReferenceForm, _record_payment),
    "record_payment_release": PanelAction(ReferenceForm, _record_payment),
    "record_payment_at_collection": PanelAction(ReferenceForm, _record_payment),
    "stop": PanelAction(StopForm, _stop),
    "withdraw": PanelAction(ReasonForm, _withdraw),
    "return_result": PanelAction(ReturnForm, _return_result),
    "digitise_document": PanelAction(DigitiseForm, _digitise),
    "mark_document_exempt": PanelAction(ExemptForm, _exempt),
    "issue_apology": PanelAction(ApologyForm, _apology, (("new_due_at", "new_due_date"),)),
}
