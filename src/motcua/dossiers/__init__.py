"""Dossiers: the one-stop lifecycle of an application, from submission to returned result.

The public surface (everything else is private to the app):

``dossiers.states``
    ``DOSSIER_MACHINE``: every state, its national status code 1–10 and the transitions
    with their roles and agency scope.
``dossiers.actions``
    the write path: ``do_register_submission``, ``do_submit_online_dossier``,
    ``do_receive_dossier``, ``do_receive_at_desk``, ``do_request_reception_supplement``,
    ``do_record_reception_supplement``, ``do_refuse_dossier``, ``do_digitise_document``,
    ``do_mark_document_exempt``, ``do_transfer_dossier``, ``do_assign_dossier``,
    ``do_submit_for_review``, ``do_approve_dossier``, ``do_send_back_dossier``,
    ``do_sign_result``, ``do_forward_to_next_agency``, ``do_request_supplement``,
    ``do_receive_supplement``, ``do_request_payment``, ``do_record_payment``,
    ``do_stop_processing``, ``do_withdraw_dossier``, ``do_issue_apology``,
    ``do_return_result``, ``do_record_deadline_warnings``.
``dossiers.selectors``
    worklists per role, counts per state, ``get_dossier_for``,
    ``list_available_actions``, ``find_dossier_for_tracking``, the deadline warnings.
``dossiers.api``
    the same operations over HTTP (``router``, mounted at ``/api/v1/dossiers``).
"""
