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
    ``do_return_result``, ``do_record_deadline_warnings``, ``do_issue_control_slip``,
    ``do_issue_dossier_register``.
``dossiers.selectors``
    worklists per role, counts per state, ``get_dossier_for``,
    ``list_available_actions``, ``find_dossier_for_tracking``, the deadline warnings.
``dossiers.api``
    the same operations over HTTP (``router``, mounted at ``/api/v1/dossiers``).

Settings read (all optional): ``DOSSIER_CODE_PATTERN`` (default
``"{unit}-{yymmdd}-{seq:04d}"``), ``DOSSIER_CODE_DAILY_LIMIT`` (none: the number widens
past 9999), ``DOSSIER_WARN_WORKING_DAYS`` (1), ``DOSSIER_PAY_AT_COLLECTION_PROCEDURES``
(procedure codes, or ``"*"``), ``DOSSIER_TRACKING_PATH`` (``"/tra-cuu-ho-so/?ma={code}"``,
after ``DOCUMENTS_PUBLIC_BASE_URL``), ``DOSSIER_EXTRA_ID_PREFIXES`` (country codes of
personal IDs of people born abroad).
"""
