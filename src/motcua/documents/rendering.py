"""HTML → PDF: WeasyPrint with no network access, QR codes from segno.

Templates are rendered in Vietnamese whatever the request's language (a form or a
result is a legal document), and may load nothing but ``data:`` URIs: a template that
prints user-supplied text can never make the renderer fetch a URL.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import segno
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from motcua.documents.errors import FormNotInRuleSet
from motcua.documents.forms import (
    FULL_ID_FORMS,
    FormContext,
    FormKind,
    FormRuleSet,
    RenderedForm,
    form_number,
    form_version,
)
from motcua.documents.text import mask_id_number

__all__ = ["form_title", "html_to_pdf", "qr_data_uri", "render_form_pdf", "render_result_pdf"]

# Circular 03/2025 renamed form 04; every other title is the same in both rule sets.
_TITLES_2018: dict[FormKind, Any] = {
    FormKind.APOLOGY_EXTENSION: _("Phiếu xin lỗi và hẹn lại ngày trả kết quả"),
}
_BASIS: dict[FormRuleSet, Any] = {
    FormRuleSet.TT01_2018: _(
        "Ban hành kèm theo Thông tư số 01/2018/TT-VPCP ngày 23 tháng 11 năm 2018 "
        "của Văn phòng Chính phủ"
    ),
    FormRuleSet.TT03_2025: _(
        "Ban hành kèm theo Thông tư số 03/2025/TT-VPCP của Văn phòng Chính phủ"
    ),
}
# Number suffixes seen in practice (domain rules §7.2): guidance …/HDHS, apology …/PXL.
_NUMBER_SUFFIX: dict[FormKind, str] = {
    FormKind.SUPPLEMENT_REQUEST: "HDHS",
    FormKind.APOLOGY_EXTENSION: "PXL",
}


def html_to_pdf(html: str, *, custom_metadata: bool = False) -> bytes:
    """Return the PDF of ``html``; only ``data:`` resources are loaded."""
    # Imported here: WeasyPrint takes a second or more to import, and most processes
    # (web workers serving pages, the outbox relay) never render a PDF.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    fetcher = URLFetcher(allowed_protocols={"data"})
    pdf = HTML(string=html, url_fetcher=fetcher).write_pdf(custom_metadata=custom_metadata)
    assert pdf is not None
    return bytes(pdf)


def qr_data_uri(url: str) -> str:
    """Return a QR code (ISO/IEC 18004, error correction M) for ``url`` as an SVG data URI."""
    return segno.make(url, error="m", micro=False).svg_data_uri(border=2, dark="#000")


def form_title(kind: FormKind, rule_set: FormRuleSet) -> str:
    """Return the title printed on the form (upper case), by rule set."""
    if rule_set is FormRuleSet.TT01_2018 and kind in _TITLES_2018:
        return str(_TITLES_2018[kind]).upper()
    return str(kind.label).upper()


def _document_number(context: FormContext) -> str:
    if context.document_number:
        return context.document_number
    suffix = _NUMBER_SUFFIX.get(FormKind(context.kind))
    if suffix and context.dossier_code:
        return f"{context.dossier_code}/{suffix}"
    return ""


def render_form_pdf(context: FormContext) -> RenderedForm:
    """Render ``context``; see ``forms.render_form`` for the contract."""
    kind = FormKind(context.kind)
    rule_set = FormRuleSet(context.rule_set)
    number = form_number(kind, rule_set)
    version = form_version(kind, rule_set)
    if number is None or version is None:
        raise FormNotInRuleSet(params={"kind": str(kind.label), "rule_set": str(rule_set.label)})
    applicant_id = ""
    if context.applicant and context.applicant.id_number:
        applicant_id = (
            context.applicant.id_number
            if kind in FULL_ID_FORMS
            else mask_id_number(context.applicant.id_number)
        )
    with translation.override("vi"):
        html = render_to_string(
            f"documents/forms/{rule_set.value}/{number}.html",
            {
                "form": context,
                "number": number,
                "version": version,
                "title": form_title(kind, rule_set),
                "basis": str(_BASIS[rule_set]),
                "document_number": _document_number(context),
                "applicant_id": applicant_id,
                "qr": qr_data_uri(context.tracking_url) if context.tracking_url else "",
            },
        )
    return RenderedForm(pdf=html_to_pdf(html), form_number=number, form_version=version)


def render_result_pdf(
    *,
    code: str,
    title: str,
    agency_name: str,
    signer_name: str,
    holder_name: str,
    issued_at: dt.datetime,
    verify_url: str,
    body: dict[str, Any],
) -> bytes:
    """Render an unsigned result PDF (``documents/results/result.html``).

    The result code is also written as the document-information entry that
    ``signing.read_result_code`` reads back. Pure: writes nothing, signs nothing.
    """
    with translation.override("vi"):
        html = render_to_string(
            "documents/results/result.html",
            {
                "code": code,
                "title": title,
                "agency_name": agency_name,
                "signer_name": signer_name,
                "holder_name": holder_name,
                "issued_at": issued_at,
                "verify_url": verify_url,
                "qr": qr_data_uri(verify_url),
                "body": body,
            },
        )
    return html_to_pdf(html, custom_metadata=True)
