"""The write path of the dossier lifecycle: every change to a dossier is one of these.

Each action validates first (raising an ``ApplicationError`` with a stable code and
writing nothing), then acts in one transaction: the state through
``workflow.engine.apply_transition`` (one audit row and one outbox message), the rows
around it (hand-overs, requests, notices) and the forms issued through ``documents``.
Split by stage: ``intake`` (submission), ``reception`` (the desk's decision and
digitisation), ``processing`` (agencies), ``closing`` (return, stop, withdrawal,
apology, warnings), ``reports`` (control slip, register), ``applicant`` (the citizen's
own online answer to a supplement request, withdrawal and rating); inputs are the plain
values of ``inputs``.
"""

from motcua.dossiers.actions.applicant import (
    do_answer_supplement,
    do_rate_dossier,
    do_withdraw_by_applicant,
)
from motcua.dossiers.actions.closing import (
    do_issue_apology,
    do_record_deadline_warnings,
    do_return_result,
    do_stop_processing,
    do_withdraw_dossier,
)
from motcua.dossiers.actions.inputs import (
    ApplicantData,
    ProvidedDocument,
    Submission,
    SubmitterData,
    SupplementItem,
    SuppliedDocument,
)
from motcua.dossiers.actions.intake import do_register_submission, do_submit_online_dossier
from motcua.dossiers.actions.processing import (
    do_approve_dossier,
    do_assign_dossier,
    do_forward_to_next_agency,
    do_receive_supplement,
    do_record_payment,
    do_request_payment,
    do_request_supplement,
    do_send_back_dossier,
    do_sign_result,
    do_submit_for_review,
    do_transfer_dossier,
)
from motcua.dossiers.actions.reception import (
    do_digitise_document,
    do_mark_document_exempt,
    do_receive_at_desk,
    do_receive_dossier,
    do_record_reception_supplement,
    do_refuse_dossier,
    do_request_reception_supplement,
)
from motcua.dossiers.actions.reports import do_issue_control_slip, do_issue_dossier_register

__all__ = [
    "ApplicantData",
    "ProvidedDocument",
    "Submission",
    "SubmitterData",
    "SupplementItem",
    "SuppliedDocument",
    "do_answer_supplement",
    "do_approve_dossier",
    "do_assign_dossier",
    "do_digitise_document",
    "do_forward_to_next_agency",
    "do_issue_apology",
    "do_issue_control_slip",
    "do_issue_dossier_register",
    "do_mark_document_exempt",
    "do_rate_dossier",
    "do_receive_at_desk",
    "do_receive_dossier",
    "do_receive_supplement",
    "do_record_deadline_warnings",
    "do_record_payment",
    "do_record_reception_supplement",
    "do_refuse_dossier",
    "do_register_submission",
    "do_request_payment",
    "do_request_reception_supplement",
    "do_request_supplement",
    "do_return_result",
    "do_send_back_dossier",
    "do_sign_result",
    "do_stop_processing",
    "do_submit_for_review",
    "do_submit_online_dossier",
    "do_transfer_dossier",
    "do_withdraw_by_applicant",
    "do_withdraw_dossier",
]
