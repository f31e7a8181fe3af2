"""PAdES signatures with pyHanko: sign a result, and check a signed PDF against our root.

Signatures are PAdES baseline B-B (``ETSI.CAdES.detached``, SHA-256), invisible: the
printed result carries a text block saying who signed and how to verify, because
pyHanko's visible stamp cannot draw Vietnamese text without the optional
``pyhanko[opentype]`` dependencies.

``check_signature`` only reads the PDF; what a check *means* for a result (valid,
revoked, tampered …) is decided in ``selectors.verify_result_pdf``.
"""

from __future__ import annotations

import enum
import io
import logging
from dataclasses import dataclass
from typing import Any

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfReadError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.general import get_pyca_cryptography_hash
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore

from motcua.documents.ca import AgencyCredentials, agency_code_of, certificate_sha256

__all__ = [
    "RESULT_CODE_INFO_KEY",
    "SignatureCheck",
    "SignatureState",
    "check_signature",
    "read_result_code",
    "sign_pdf",
]

logger = logging.getLogger(__name__)

# WeasyPrint writes <meta name="motcua-result-code"> as this document-info key.
RESULT_CODE_INFO_KEY = "/motcuaresultcode"
SIGNATURE_FIELD = "MotcuaResultSignature"


def _asn1_certificate(certificate: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))


class _LoadedKeySigner(signers.SimpleSigner):
    """A ``SimpleSigner`` that signs with an already loaded RSA key (PKCS#1 v1.5).

    pyHanko's ``SimpleSigner`` parses the private key again for every raw signature
    (twice per PDF: the size estimate and the real one), and cryptography validates an
    RSA key on every load; reusing the loaded key makes signing several times faster.
    """

    def __init__(self, *, private_key: rsa.RSAPrivateKey, **kwargs: Any) -> None:
        self._private_key = private_key
        super().__init__(**kwargs)

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        return self._private_key.sign(
            data, PKCS1v15(), get_pyca_cryptography_hash(digest_algorithm)
        )


def sign_pdf(
    pdf: bytes, *, credentials: AgencyCredentials, reason: str, location: str = "", name: str = ""
) -> bytes:
    """Return ``pdf`` with an invisible PAdES B-B signature by the agency's certificate.

    ``reason`` is written in the signature dictionary (the result title); ``name`` is
    the signing official shown by PDF readers next to the agency's certificate.
    """
    key_der = credentials.private_key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    signer = _LoadedKeySigner(
        private_key=credentials.private_key,
        signing_cert=_asn1_certificate(credentials.certificate),
        signing_key=asn1_keys.PrivateKeyInfo.load(key_der),
        cert_registry=SimpleCertificateStore.from_certs([_asn1_certificate(credentials.root)]),
    )
    metadata = signers.PdfSignatureMetadata(
        field_name=SIGNATURE_FIELD,
        reason=reason[:250],
        location=location or None,
        name=name or None,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    output = signers.sign_pdf(writer, metadata, signer=signer)
    return bytes(output.getvalue())


class SignatureState(enum.StrEnum):
    NOT_PDF = "not_pdf"  # unreadable
    UNSIGNED = "unsigned"  # a PDF without signature
    MODIFIED = "modified"  # signed bytes changed, or content added after signing
    BROKEN = "broken"  # the signature value does not verify
    UNTRUSTED = "untrusted"  # a sound signature by a certificate outside our CA
    TRUSTED = "trusted"  # a sound signature by one of our agency certificates


@dataclass(frozen=True)
class SignatureCheck:
    state: SignatureState
    agency_code: str = ""  # from the signer certificate (OU)
    signer_subject: str = ""
    certificate_sha256: str = ""
    result_code: str = ""  # from the document information dictionary


def read_result_code(reader: PdfFileReader) -> str:
    """Return the result code recorded in the document information, or ""."""
    try:
        info = reader.trailer["/Info"]
        value = info.get(RESULT_CODE_INFO_KEY)
    except (KeyError, PdfReadError, AttributeError, TypeError):
        return ""
    return str(value) if value is not None else ""


def check_signature(pdf: bytes, *, trust_root: x509.Certificate) -> SignatureCheck:
    """Return what the PDF's signatures say, validated against ``trust_root``.

    Every signature must cover the whole file (no incremental update after it); the
    first signature decides the signer. Never raises for bad input: an unreadable
    file is ``NOT_PDF``.
    """
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        signatures = reader.embedded_signatures
        result_code = read_result_code(reader)
    except Exception:  # pyHanko raises many types on garbage; all mean "not a PDF we can read"
        logger.info("documents.verify.unreadable_pdf")
        return SignatureCheck(state=SignatureState.NOT_PDF)
    if not signatures:
        return SignatureCheck(state=SignatureState.UNSIGNED, result_code=result_code)
    context = ValidationContext(
        trust_roots=[_asn1_certificate(trust_root)],
        allow_fetching=False,
        revocation_mode="soft-fail",
    )
    first_subject = ""
    first_agency = ""
    first_fingerprint = ""
    state = SignatureState.TRUSTED
    for index, embedded in enumerate(signatures):
        try:
            status = validate_pdf_signature(embedded, context)
        except Exception:  # a malformed signature dictionary or CMS blob
            logger.info("documents.verify.malformed_signature")
            return SignatureCheck(state=SignatureState.BROKEN, result_code=result_code)
        if index == 0:
            signer_cert = x509.load_der_x509_certificate(status.signing_cert.dump())
            first_subject = signer_cert.subject.rfc4514_string()
            first_agency = agency_code_of(signer_cert)
            first_fingerprint = certificate_sha256(signer_cert)
        covers_all = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
        if not status.intact or not covers_all:
            state = SignatureState.MODIFIED
            break
        if not status.valid:
            state = SignatureState.BROKEN
            break
        if not status.trusted:
            state = SignatureState.UNTRUSTED
    return SignatureCheck(
        state=state,
        agency_code=first_agency,
        signer_subject=first_subject,
        certificate_sha256=first_fingerprint,
        result_code=result_code,
    )
