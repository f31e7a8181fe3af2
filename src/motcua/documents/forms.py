"""One-stop forms 01–07: what a caller gives (plain typed data) and the PDF it gets back.

``documents`` sits at the same layer as ``dossiers`` and never imports it: the dossier
app builds a ``FormContext`` from its own models and calls ``render_form`` (or
``actions.do_issue_form`` to render *and* store the document with an audit row).

Forms are versioned by legal basis (DESIGN §4.6): a dossier keeps the rule set in force
on its receipt date, chosen by ``rule_set_for``. The two rule sets number the same
forms differently (glossary "One-stop forms"):

=====================  ==========  ==========
form                   TT01_2018   TT03_2025
=====================  ==========  ==========
receipt slip           01          01
supplement request     02          02
refusal                03          03
apology / extension    04          04
stop notice            —           05
process control slip   05          06
dossier register       06          07
=====================  ==========  ==========

Circular 01/2018 has no stop notice: ``render_form`` raises ``FormNotInRuleSet`` for it;
``form_number()`` returns ``None`` so a caller can check first.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.kernel import clock

__all__ = [
    "DEFAULT_TT03_FROM",
    "FULL_ID_FORMS",
    "FormContext",
    "FormDocumentLine",
    "FormHandoverLine",
    "FormItem",
    "FormKind",
    "FormParty",
    "FormRegisterRow",
    "FormRuleSet",
    "RenderedForm",
    "form_number",
    "form_version",
    "kinds_in",
    "render_form",
    "rule_set_for",
    "tt03_from",
]


class FormKind(models.TextChoices):
    """The one-stop forms, named after the glossary; values are the Circular 03/2025 numbers."""

    RECEIPT_SLIP = "01", _("Giấy tiếp nhận hồ sơ và hẹn trả kết quả")
    SUPPLEMENT_REQUEST = "02", _("Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ")
    REFUSAL = "03", _("Phiếu từ chối tiếp nhận giải quyết hồ sơ")
    APOLOGY_EXTENSION = "04", _("Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết")
    STOP_NOTICE = "05", _("Thông báo dừng giải quyết hồ sơ")
    PROCESS_CONTROL_SLIP = "06", _("Phiếu kiểm soát quá trình giải quyết hồ sơ")
    DOSSIER_REGISTER = "07", _("Sổ theo dõi hồ sơ")


class FormRuleSet(models.TextChoices):
    """The legal basis a form follows."""

    # Circular 01/2018/TT-VPCP: forms 01–06; control slip = 05, register = 06; no stop notice.
    TT01_2018 = "tt01_2018", _("Thông tư số 01/2018/TT-VPCP")
    # Circular 03/2025/TT-VPCP: forms 01–07 as numbered in FormKind.
    TT03_2025 = "tt03_2025", _("Thông tư số 03/2025/TT-VPCP")


_NUMBERS: dict[FormRuleSet, dict[FormKind, str]] = {
    FormRuleSet.TT01_2018: {
        FormKind.RECEIPT_SLIP: "01",
        FormKind.SUPPLEMENT_REQUEST: "02",
        FormKind.REFUSAL: "03",
        FormKind.APOLOGY_EXTENSION: "04",
        FormKind.PROCESS_CONTROL_SLIP: "05",
        FormKind.DOSSIER_REGISTER: "06",
    },
    FormRuleSet.TT03_2025: {kind: kind.value for kind in FormKind},
}

# Forms on which the applicant's identification number is printed in full. The receipt
# slip is the applicant's own proof, compared with the identity card when the result is
# collected; everywhere else the number is masked (DESIGN §4.9).
FULL_ID_FORMS: frozenset[FormKind] = frozenset({FormKind.RECEIPT_SLIP})

# Circular 03/2025 took effect on 15/9/2025. Which layouts applied from 1/7/2025 (Decree
# 118 in force) to 14/9/2025 is unverified (domain rules §1 table); until it is, the 2018
# layouts stay in use for dossiers received before DOCUMENTS_TT03_FROM. Set the setting to
# date(2025, 7, 1) if the 2025 forms are confirmed for that period.
DEFAULT_TT03_FROM = dt.date(2025, 9, 15)


def tt03_from() -> dt.date:
    """Return the first local (Asia/Ho_Chi_Minh) day on which Circular 03/2025 forms apply."""
    value = getattr(settings, "DOCUMENTS_TT03_FROM", DEFAULT_TT03_FROM)
    if isinstance(value, dt.datetime):
        return clock.local(value).date() if value.tzinfo else value.date()
    if isinstance(value, str):
        return dt.date.fromisoformat(value)
    return value


def rule_set_for(received_at: dt.datetime | None, *, on: dt.datetime) -> FormRuleSet:
    """Return the rule set for a dossier received at ``received_at`` (or handled ``on``).

    The dossier's receipt time decides; a dossier not received yet (a refusal, a
    supplement request at the desk) uses ``on``. The day is taken in Asia/Ho_Chi_Minh:
    before ``tt03_from()`` → ``TT01_2018``, from that day → ``TT03_2025``. Both
    datetimes must be timezone-aware; raise ``ValueError`` otherwise.
    """
    moment = received_at if received_at is not None else on
    if moment.tzinfo is None:
        raise ValueError("rule_set_for() needs a timezone-aware datetime")
    if clock.local(moment).date() < tt03_from():
        return FormRuleSet.TT01_2018
    return FormRuleSet.TT03_2025


def kinds_in(rule_set: FormRuleSet | str) -> tuple[FormKind, ...]:
    """Return the forms that exist under ``rule_set``, in their numbering order."""
    numbers = _NUMBERS[FormRuleSet(rule_set)]
    return tuple(sorted(numbers, key=numbers.__getitem__))


def form_number(kind: FormKind | str, rule_set: FormRuleSet | str) -> str | None:
    """Return the number ("05") of ``kind`` under ``rule_set``, or ``None`` if it has none."""
    return _NUMBERS[FormRuleSet(rule_set)].get(FormKind(kind))


def form_version(kind: FormKind | str, rule_set: FormRuleSet | str) -> str | None:
    """Return the template version recorded with an issued form ("tt01_2018/05")."""
    number = form_number(kind, rule_set)
    return None if number is None else f"{FormRuleSet(rule_set).value}/{number}"


@dataclass(frozen=True)
class FormParty:
    """A person or organisation named on a form (applicant, submitter, addressee).

    ``id_number`` is printed in full only on ``FULL_ID_FORMS``, masked elsewhere.
    """

    name: str
    id_number: str = ""
    address: str = ""
    phone: str = ""
    email: str = ""


@dataclass(frozen=True)
class FormDocumentLine:
    """One component of the dossier with the number of each kind of copy."""

    name: str
    originals: int = 0
    certified_copies: int = 0
    photocopies: int = 0
    note: str = ""


@dataclass(frozen=True)
class FormItem:
    """One line of a list with its reason: a supplement item, a refusal or stop reason."""

    text: str
    reason: str = ""


@dataclass(frozen=True)
class FormHandoverLine:
    """One hand-over on the process control slip.

    ``timeliness`` is ``"early"``, ``"on_time"``, ``"late"`` or ``"in_progress"``.
    """

    step: str
    from_name: str
    to_name: str
    handed_at: dt.datetime
    due_at: dt.datetime | None
    done_at: dt.datetime | None
    timeliness: str
    note: str = ""


@dataclass(frozen=True)
class FormRegisterRow:
    """One dossier in the register (Sổ theo dõi hồ sơ)."""

    dossier_code: str
    applicant_name: str
    procedure_name: str
    received_at: dt.datetime
    due_at: dt.datetime | None
    transferred_at: dt.datetime | None
    returned_at: dt.datetime | None
    note: str = ""
    applicant_contact: str = ""  # address and phone, one line
    lead_agency_name: str = ""  # Cơ quan chủ trì giải quyết
    copies: int = 1  # Số lượng hồ sơ (bộ)
    result_received_at: dt.datetime | None = None  # result back from the competent agency


@dataclass(frozen=True)
class FormContext:
    """Everything a form prints. Datetimes are aware (UTC in, Asia/Ho_Chi_Minh printed).

    ``place_name`` is the place on the "…, ngày … tháng … năm …" line ("Thanh Hóa");
    ``tracking_url`` is the QR code's target (no QR when empty). Optional extras:
    ``document_number`` replaces the "Số: …" line; ``processing_time_label`` ("15 ngày
    làm việc"), ``fee_label``, ``copies``, ``register_book``/``register_number`` feed
    form 01; ``contact_phone``/``website`` the help line of form 02; ``legal_basis``,
    ``fee_refund_note`` and ``withdrawn`` the stop notice; ``signer_title`` ("GIÁM ĐỐC") the signature
    block; ``period_from``/``period_to`` the register's period.
    """

    kind: FormKind
    rule_set: FormRuleSet
    issuing_agency_name: str
    issuing_agency_parent_name: str
    place_name: str
    issued_at: dt.datetime
    dossier_code: str = ""
    procedure_code: str = ""
    procedure_name: str = ""
    applicant: FormParty | None = None
    submitter: FormParty | None = None
    received_at: dt.datetime | None = None
    due_at: dt.datetime | None = None
    new_due_at: dt.datetime | None = None
    channel_label: str = ""
    return_channel_label: str = ""
    documents: tuple[FormDocumentLine, ...] = ()
    items: tuple[FormItem, ...] = ()
    reason: str = ""
    handovers: tuple[FormHandoverLine, ...] = ()
    register_rows: tuple[FormRegisterRow, ...] = ()
    officer_name: str = ""
    tracking_url: str = ""
    document_number: str = ""
    processing_time_label: str = ""
    fee_label: str = ""
    copies: int = 1
    register_book: str = ""
    register_number: str = ""
    contact_phone: str = ""
    website: str = ""
    legal_basis: str = ""
    fee_refund_note: str = ""
    withdrawn: bool = False  # a stop notice issued because the applicant withdrew
    signer_title: str = ""
    period_from: dt.datetime | None = None
    period_to: dt.datetime | None = None


@dataclass(frozen=True)
class RenderedForm:
    """A rendered form: the PDF and the template version that produced it."""

    pdf: bytes
    form_number: str  # "01", or "05" for the 2018 control slip
    form_version: str  # "tt03_2025/01"


def render_form(context: FormContext) -> RenderedForm:
    """Render ``context`` to an A4 PDF with the template of its kind and rule set.

    The template is ``documents/forms/<rule_set>/<number>.html``; the text is always
    Vietnamese (a legal form), whatever the request's language. Raise
    ``FormNotInRuleSet`` when the kind does not exist under the rule set (the stop
    notice under Circular 01/2018). Pure: writes nothing; see
    ``actions.do_issue_form`` to store the result.
    """
    from motcua.documents.rendering import render_form_pdf  # rendering imports this module

    return render_form_pdf(context)
