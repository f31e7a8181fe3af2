"""Documents: one-stop forms 01–07, signed electronic results, verification, uploads.

This app sits at the same layer as ``dossiers`` and never imports it; callers hand it
plain typed data and get files back. The public interface:

``documents.forms``
    ``FormKind``, ``FormRuleSet``, ``rule_set_for(received_at, *, on)`` (the rule set of
    a dossier, switch day = setting ``DOCUMENTS_TT03_FROM``, default 2025-09-15),
    the frozen dataclasses ``FormParty``, ``FormDocumentLine``, ``FormItem``,
    ``FormHandoverLine``, ``FormRegisterRow``, ``FormContext``, and
    ``render_form(context) -> RenderedForm`` (PDF bytes, ``form_number``,
    ``form_version`` such as ``"tt03_2025/01"``). Pure: writes nothing.

``documents.actions`` (the write path; each call is one transaction with one audit row)
    ``do_issue_form(context, *, actor, subject_type, subject_id) -> IssuedDocument``
        render, store through Django storage, record SHA-256 and the form version.
    ``do_issue_result(*, actor, subject_type, subject_id, result_code, title,
    agency_code, agency_name, signer_name, body_html_context, holder_name) -> Result``
        render the result PDF (national heading, result code ``<dossier code>-KQ<n>``,
        QR code to the public verification page), sign it (PAdES B-B, pyHanko) with
        the agency's certificate from the local CA, store it.
    ``do_revoke_result(result, *, actor, reason) -> Result``
        once; only a SIGNER or SYSTEM_ADMIN of the issuing agency, or the system.
    ``do_store_upload(uploaded_file, *, actor, subject_type, subject_id, purpose,
    allowed_types=("pdf", "jpeg", "png")) -> StoredFile``
        size limit (``DOCUMENTS_MAX_FILE_MB``, default 20), type checked by content,
        name sanitised, SHA-256 stored.

``documents.selectors`` (reads)
    ``get_result_by_code(code) -> Result``, ``open_result_file(result)`` (the PDF for
    the owner's download, served by the dossier app, never publicly),
    ``verify_result_pdf(pdf_bytes) -> Verification`` (status ``valid``, ``revoked``,
    ``tampered``, ``unknown`` or ``invalid_signature``; the result; a message).

``documents.urls`` (``app_name = "documents"``)
    ``xac-minh/`` and ``xac-minh/<code>/``: the public verification page (no login),
    the target of the QR code printed on every result.

Settings read (all optional): ``DOCUMENTS_TT03_FROM``, ``DOCUMENTS_MAX_FILE_MB``,
``DOCUMENTS_CA_DIR`` (default ``VAR_DIR / "ca"``), ``DOCUMENTS_PUBLIC_BASE_URL`` (the
absolute address printed in result QR codes, default ``http://127.0.0.1:8000``).
"""
