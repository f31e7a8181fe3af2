"""The write path of documents: issue forms and results, revoke results, store uploads.

Every function validates first (nothing is written when it raises), does the slow work
(rendering, signing, hashing) outside the database transaction, then writes the file,
the row, one audit row and, for results, one outbox message in one transaction. The
transactions are not ``durable``: the dossier app calls these inside its own.

Files are written before the row; when the transaction fails here the file is
removed. If the *caller's* outer transaction rolls back later, the file stays as an
orphan with no row pointing to it (harmless, never served).
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from motcua.audit import actions as audit
from motcua.documents import antivirus, types, uploads
from motcua.documents.ca import certificate_sha256, get_local_ca
from motcua.documents.errors import (
    DocumentPermissionDenied,
    DuplicateResultCode,
    EmptyFile,
    FileTooLarge,
    InfectedFile,
    InvalidResult,
    ResultAlreadyRevoked,
    RevocationReasonRequired,
    ScanUnavailable,
    SubjectTooLarge,
    TooManyFiles,
    TypeNotAllowed,
)
from motcua.documents.events import ResultIssued, ResultRevoked
from motcua.documents.forms import FormContext, FormKind, FormRuleSet, render_form
from motcua.documents.models import (
    DataStoreItem,
    DataStoreKind,
    IssuedDocument,
    Result,
    StoredFile,
    document_storage,
)
from motcua.documents.permissions import (
    ISSUER_ROLES,
    REVOKER_ROLES,
    check_agency_role,
    check_can_issue_forms,
)
from motcua.documents.rendering import render_result_pdf
from motcua.documents.selectors import verification_url
from motcua.integration import outbox
from motcua.kernel import clock
from motcua.kernel.actors import Actor, ActorKind

__all__ = [
    "DEFAULT_ALLOWED_TYPES",
    "do_delete_stored_files",
    "do_issue_form",
    "do_issue_result",
    "do_keep_result_in_store",
    "do_keep_upload_in_store",
    "do_revoke_result",
    "do_store_upload",
]

ISSUED_DOCUMENT = "documents.issued_document"
RESULT = "documents.result"
STORED_FILE = "documents.stored_file"
DEFAULT_ALLOWED_TYPES = ("pdf", "jpeg", "png")
_RESULT_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.\-]*-KQ[1-9][0-9]*$")


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _store(instance: Any, name: str, data: bytes) -> None:
    instance.file.save(name, ContentFile(data), save=False)


def _discard(instance: Any) -> None:
    if instance.file.name:
        instance.file.storage.delete(instance.file.name)


# --- forms ---------------------------------------------------------------------------


def do_issue_form(
    context: FormContext, *, actor: Actor, subject_type: str, subject_id: int | str
) -> IssuedDocument:
    """Render ``context``, store the PDF and record it for ``subject_type:subject_id``.

    Return the ``IssuedDocument`` (kind, form number and version, SHA-256, size).
    Raise ``DocumentPermissionDenied`` for citizens and anonymous actors and
    ``FormNotInRuleSet`` for a stop notice under Circular 01/2018; nothing is written.
    """
    check_can_issue_forms(actor)
    rendered = render_form(context)
    document = IssuedDocument(
        kind=FormKind(context.kind),
        rule_set=FormRuleSet(context.rule_set),
        form_number=rendered.form_number,
        form_version=rendered.form_version,
        dossier_code=context.dossier_code,
        subject_type=subject_type,
        subject_id=str(subject_id),
        sha256=_sha256(rendered.pdf),
        size=len(rendered.pdf),
        issued_at=clock.now(),
        issued_by=actor.ref,
    )
    try:
        with transaction.atomic():
            _store(document, "form.pdf", rendered.pdf)
            document.save(force_insert=True)
            audit.record(
                actor=actor,
                action="documents.form_issued",
                aggregate_type=ISSUED_DOCUMENT,
                aggregate_id=document.pk,
                data={
                    "form_version": document.form_version,
                    "dossier_code": document.dossier_code,
                    "subject": f"{subject_type}:{subject_id}",
                    "sha256": document.sha256,
                },
            )
    except BaseException:
        _discard(document)
        raise
    return document


# --- results -------------------------------------------------------------------------


def _check_result_input(fields: dict[str, str]) -> None:
    errors: dict[str, list[Any]] = {}
    for name, value in fields.items():
        if not value.strip():
            errors[name] = [_("Trường này là bắt buộc.")]
    code = fields["result_code"]
    if code and (len(code) > 80 or not _RESULT_CODE.match(code)):
        errors["result_code"] = [
            _("Mã kết quả phải có dạng <mã hồ sơ>-KQ<n>, ví dụ G09.20-250701-0001-KQ1.")
        ]
    if len(fields["title"]) > 255:
        errors["title"] = [_("Tên kết quả dài quá 255 ký tự.")]
    if errors:
        raise InvalidResult(field_errors=errors)
    if Result.objects.filter(code=code).exists():
        raise DuplicateResultCode(params={"code": code})


def do_issue_result(
    *,
    actor: Actor,
    subject_type: str,
    subject_id: int | str,
    result_code: str,
    title: str,
    agency_code: str,
    agency_name: str,
    signer_name: str,
    body_html_context: dict[str, Any],
    holder_name: str,
) -> Result:
    """Render, sign with the agency's certificate and store an electronic result.

    ``result_code`` is ``<dossier code>-KQ<n>`` (the caller numbers it). The PDF shows
    the national heading, the code, ``title``, ``holder_name``, the body and a QR code
    to the public verification page; it is signed PAdES B-B with ``reason`` = title.
    ``body_html_context`` feeds ``documents/results/result.html``: ``paragraphs``
    (list of str), ``fields`` (list of (label, value)), ``agency_parent_name``,
    ``place_name``, ``document_number``, ``signer_title``, or ``template`` (a template
    name to include instead, rendered with the same context).

    Raise ``DocumentPermissionDenied`` unless the actor is the system or a SIGNER,
    REGISTRY or SYSTEM_ADMIN of the issuing agency; ``InvalidResult`` for a missing
    field or a malformed code; ``DuplicateResultCode`` when the code exists; nothing is
    written then. Writes the file, the row, one audit row and one
    ``documents.result_issued`` outbox message.
    """
    fields = {
        "result_code": result_code or "",
        "title": title or "",
        "agency_code": agency_code or "",
        "agency_name": agency_name or "",
        "signer_name": signer_name or "",
        "holder_name": holder_name or "",
    }
    _check_result_input(fields)
    check_agency_role(actor, agency_code, ISSUER_ROLES)
    from motcua.documents.signing import sign_pdf  # pyHanko is slow to import; see rendering

    credentials = get_local_ca().credentials_for(agency_code, agency_name)
    issued_at = clock.now()
    pdf = render_result_pdf(
        code=result_code,
        title=title,
        agency_name=agency_name,
        signer_name=signer_name,
        holder_name=holder_name,
        issued_at=issued_at,
        verify_url=verification_url(result_code),
        body=dict(body_html_context or {}),
    )
    signed = sign_pdf(
        pdf,
        credentials=credentials,
        reason=title,
        location=str(body_html_context.get("place_name", "")),
        name=signer_name,
    )
    result = Result(
        code=result_code,
        title=title,
        subject_type=subject_type,
        subject_id=str(subject_id),
        agency_code=agency_code,
        agency_name=agency_name,
        signer_name=signer_name,
        holder_name=holder_name,
        sha256=_sha256(signed),
        size=len(signed),
        certificate_sha256=certificate_sha256(credentials.certificate),
        issued_at=issued_at,
        issued_by=actor.ref,
    )
    try:
        with transaction.atomic():
            _store(result, "result.pdf", signed)
            try:
                with transaction.atomic():
                    result.save(force_insert=True)
            except IntegrityError:
                raise DuplicateResultCode(params={"code": result_code}) from None
            audit.record(
                actor=actor,
                action="documents.result_issued",
                aggregate_type=RESULT,
                aggregate_id=result.code,
                data={
                    "title": title,
                    "agency_code": agency_code,
                    "subject": f"{subject_type}:{subject_id}",
                    "sha256": result.sha256,
                    "certificate_sha256": result.certificate_sha256,
                },
            )
            event = ResultIssued.from_result(result)
            outbox.enqueue(
                topic=event.topic,
                aggregate_type=RESULT,
                aggregate_id=result.code,
                payload=event.payload(),
            )
    except BaseException:
        _discard(result)
        raise
    return result


def do_revoke_result(result: Result, *, actor: Actor, reason: str) -> Result:
    """Revoke ``result`` (hủy hiệu lực) once, with a reason; return it refreshed.

    Raise ``RevocationReasonRequired`` for a blank reason, ``DocumentPermissionDenied``
    unless the actor is the system or a SIGNER/SYSTEM_ADMIN of the issuing agency, and
    ``ResultAlreadyRevoked`` the second time (also when two revocations race: the flag
    is compare-and-set). Writes one audit row and one ``documents.result_revoked``
    outbox message, so that the citizen data store records the revocation too.
    """
    reason = (reason or "").strip()
    if not reason:
        raise RevocationReasonRequired(
            field_errors={"reason": [RevocationReasonRequired.default_message]}
        )
    check_agency_role(actor, result.agency_code, REVOKER_ROLES)
    if result.is_revoked:
        raise ResultAlreadyRevoked(params={"code": result.code})
    now = clock.now()
    with transaction.atomic():
        changed = Result.objects.filter(pk=result.pk, is_revoked=False).update(
            is_revoked=True, revoked_at=now, revocation_reason=reason[:2000], revoked_by=actor.ref
        )
        if changed != 1:
            raise ResultAlreadyRevoked(params={"code": result.code})
        audit.record(
            actor=actor,
            action="documents.result_revoked",
            aggregate_type=RESULT,
            aggregate_id=result.code,
            data={"reason": reason[:2000]},
        )
        result.refresh_from_db()
        event = ResultRevoked.from_result(result)
        outbox.enqueue(
            topic=event.topic,
            aggregate_type=RESULT,
            aggregate_id=result.code,
            payload=event.payload(),
        )
    return result


# --- uploads -------------------------------------------------------------------------


def _scan(data: bytes, display: str) -> None:
    """Refuse ``data`` when the configured clamd finds a virus or cannot answer."""
    if not antivirus.clamd_url():
        return
    try:
        verdict = antivirus.scan_bytes(data)
    except antivirus.ScanUnavailable:
        raise ScanUnavailable(params={"name": display}) from None
    if not verdict.is_clean:
        raise InfectedFile(params={"name": display})


def do_store_upload(
    uploaded_file: Any,
    *,
    actor: Actor,
    subject_type: str,
    subject_id: int | str,
    purpose: str,
    allowed_types: tuple[str, ...] = DEFAULT_ALLOWED_TYPES,
    max_count: int | None = None,
    max_total_bytes: int | None = None,
    replacing: tuple[int, ...] = (),
) -> StoredFile:
    """Check and store an uploaded file for ``subject_type:subject_id``; return the row.

    ``uploaded_file`` is a Django ``UploadedFile`` (or any file object with ``name``).
    Checks, in order: not empty (``documents.empty_file``), at most
    ``DOCUMENTS_MAX_FILE_MB`` (default 20; ``documents.file_too_large``), a type of
    ``allowed_types`` read from the content and a name that does not claim another
    type (``documents.type_not_allowed``), and, when ``max_count`` is given, fewer than
    that many files already stored for the subject and purpose
    (``documents.too_many_files``; a soft limit: two uploads racing for the last place
    may both pass, the caller serialises on its own row when it must be exact); when
    ``max_total_bytes`` is given, the subject's files (except those in ``replacing``,
    about to be replaced) plus this one stay within it (``documents.subject_too_large``).
    When ``DOCUMENTS_CLAMD_URL`` is set the bytes are scanned by clamd
    (``documents.infected_file``, ``documents.scan_unavailable``). The display name is
    sanitised; the stored name is a UUID. Anonymous actors get
    ``DocumentPermissionDenied``. Nothing is written when a check fails.
    """
    if actor.kind is ActorKind.ANONYMOUS:
        raise DocumentPermissionDenied()
    name = str(getattr(uploaded_file, "name", "") or "")
    display = uploads.display_name(name)
    limit = uploads.max_upload_bytes()
    declared = getattr(uploaded_file, "size", None)
    limit_mb = getattr(settings, "DOCUMENTS_MAX_FILE_MB", 20)
    if declared is not None and declared > limit:
        raise FileTooLarge(params={"name": display, "limit": limit_mb})
    data = uploads.read_limited(uploaded_file, limit)
    if not data:
        raise EmptyFile(params={"name": display})
    if len(data) > limit:
        raise FileTooLarge(params={"name": display, "limit": limit_mb})
    allowed = [uploads.KINDS[key] for key in allowed_types if key in uploads.KINDS]
    allowed_label = ", ".join(kind.label for kind in allowed)
    kind = uploads.detect_kind(data[:4096], data[-4096:], data)
    if kind is None or kind not in allowed:
        raise TypeNotAllowed(params={"name": display, "allowed": allowed_label})
    extension = uploads.extension_of(name)
    if extension and extension not in kind.extensions:
        raise TypeNotAllowed(
            _(
                "Tệp %(name)s có đuôi .%(extension)s nhưng nội dung là %(detected)s. "
                "Vui lòng đổi tên tệp cho đúng hoặc chọn lại tệp."
            ),
            params={"name": display, "extension": extension, "detected": kind.label},
        )
    if max_count is not None:
        existing = StoredFile.objects.filter(
            subject_type=subject_type, subject_id=str(subject_id), purpose=purpose
        ).count()
        if existing >= max_count:
            raise TooManyFiles(params={"limit": max_count})
    if max_total_bytes is not None:
        used = (
            StoredFile.objects.filter(subject_type=subject_type, subject_id=str(subject_id))
            .exclude(pk__in=replacing)
            .aggregate(total=Sum("size"))["total"]
            or 0
        )
        if used + len(data) > max_total_bytes:
            raise SubjectTooLarge(
                params={"name": display, "limit": round(max_total_bytes / (1024 * 1024))}
            )
    _scan(data, display)
    stored = StoredFile(
        original_name=uploads.sanitize_filename(name, kind=kind),
        content_type=kind.content_type,
        size=len(data),
        sha256=_sha256(data),
        subject_type=subject_type,
        subject_id=str(subject_id),
        purpose=purpose[:100],
        uploaded_at=clock.now(),
        uploaded_by=actor.ref,
    )
    try:
        with transaction.atomic():
            _store(stored, f"upload.{kind.extensions[0]}", data)
            stored.save(force_insert=True)
            audit.record(
                actor=actor,
                action="documents.file_uploaded",
                aggregate_type=STORED_FILE,
                aggregate_id=stored.pk,
                data={
                    "subject": f"{subject_type}:{subject_id}",
                    "purpose": stored.purpose,
                    "content_type": stored.content_type,
                    "size": stored.size,
                    "sha256": stored.sha256,
                },
            )
    except BaseException:
        _discard(stored)
        raise
    return stored


def do_delete_stored_files(
    subject_type: str, subject_id: int | str, *, actor: Actor, pks: tuple[int, ...] | None = None
) -> int:
    """Delete the files uploaded for a subject (all, or those in ``pks``); return how many.

    Used for files of a draft that is deleted or whose file is replaced. A file that a
    dossier or the data store refers to is protected by the database (``ProtectedError``):
    callers delete only files nothing else points to. The rows and the audit rows go in
    one transaction; the bytes are removed after commit.
    """
    files = StoredFile.objects.filter(subject_type=subject_type, subject_id=str(subject_id))
    if pks is not None:
        files = files.filter(pk__in=pks)
    doomed = list(files)
    if not doomed:
        return 0
    with transaction.atomic():
        for stored in doomed:
            audit.record(
                actor=actor,
                action="documents.file_deleted",
                aggregate_type=STORED_FILE,
                aggregate_id=stored.pk,
                data={"subject": f"{subject_type}:{subject_id}", "sha256": stored.sha256},
            )
        StoredFile.objects.filter(pk__in=[f.pk for f in doomed]).delete()
        names = [f.file.name for f in doomed if f.file.name]
        storage = document_storage()
        transaction.on_commit(lambda: _delete_names(storage, names))
    return len(doomed)


def _delete_names(storage: Any, names: list[str]) -> None:
    for name in names:
        storage.delete(name)


# --- the citizen data store ----------------------------------------------------------

STORE_ITEM = "documents.store_item"


def _keep(item: DataStoreItem, *, actor: Actor, lookup: dict[str, Any]) -> DataStoreItem:
    """Insert ``item`` unless the same source is already in the owner's store."""
    existing = DataStoreItem.objects.filter(**lookup).first()
    if existing is not None:
        return existing
    with transaction.atomic():
        try:
            with transaction.atomic():
                item.save(force_insert=True)
        except IntegrityError:
            return DataStoreItem.objects.get(**lookup)
        audit.record(
            actor=actor,
            action="documents.store_item_added",
            aggregate_type=STORE_ITEM,
            aggregate_id=item.pk,
            data={
                "kind": item.kind,
                "document_type": item.document_type,
                "source_code": item.source_code,
                "procedure_code": item.procedure_code,
            },
        )
        # The national portal's store push (DuocLayTuKhoDMQG) reacts to this message.
        outbox.enqueue(
            topic="documents.store_item_added",
            aggregate_type=STORE_ITEM,
            aggregate_id=item.pk,
            payload={
                "item": item.pk,
                "kind": item.kind,
                "document_type": item.document_type,
                "source_code": item.source_code,
                "result_code": item.result.code if item.result is not None else None,
            },
        )
    return item


def do_keep_result_in_store(
    result: Result,
    *,
    actor: Actor,
    owner_id_number: str,
    procedure_code: str = "",
    valid_until: Any = None,
) -> DataStoreItem:
    """Keep a signed result in its holder's data store (once; a second call returns it).

    The item's type is the name key of the result's title (``documents.types``); its
    validity follows the result (revoked → no longer valid) and ``valid_until``.
    """
    owner = (owner_id_number or "").strip()
    item = DataStoreItem(
        owner_id_number=owner,
        kind=DataStoreKind.RESULT,
        document_type=types.name_key(result.title),
        title=result.title,
        issuer_name=result.agency_name,
        issuer_code=result.agency_code,
        procedure_code=procedure_code,
        source_code=result.code,
        issued_at=result.issued_at,
        valid_until=valid_until,
        result=result,
        added_at=clock.now(),
        added_by=actor.ref,
    )
    return _keep(item, actor=actor, lookup={"owner_id_number": owner, "result": result})


def do_keep_upload_in_store(
    stored: StoredFile,
    *,
    actor: Actor,
    owner_id_number: str,
    document_type: str,
    title: str,
    issuer_name: str,
    issuer_code: str = "",
    procedure_code: str = "",
    source_code: str = "",
) -> DataStoreItem:
    """Keep a file the applicant uploaded, now accepted by an officer, in their store.

    ``issuer_name`` names the agency that accepted it as digitised (the receiving desk).
    Once per owner and file; a second call returns the existing item.
    """
    owner = (owner_id_number or "").strip()
    item = DataStoreItem(
        owner_id_number=owner,
        kind=DataStoreKind.DOCUMENT,
        document_type=document_type[:255],
        title=title[:1000],
        issuer_name=issuer_name[:255],
        issuer_code=issuer_code,
        procedure_code=procedure_code,
        source_code=source_code,
        issued_at=clock.now(),
        stored_file=stored,
        added_at=clock.now(),
        added_by=actor.ref,
    )
    return _keep(item, actor=actor, lookup={"owner_id_number": owner, "stored_file": stored})
