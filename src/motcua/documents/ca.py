"""The local certificate authority that signs results in the demo and the tests.

A real installation signs with certificates issued by a licensed Vietnamese CA and
kept in an HSM; this module stands in for it so that one command runs the whole
platform. On first use it creates, under ``DOCUMENTS_CA_DIR`` (default
``VAR_DIR / "ca"``):

    root-ca.cert.pem / root-ca.key.pem          the trust root (RSA 2048, 20 years)
    agencies/<agency code>.cert.pem / .key.pem  one signing certificate per agency
                                                (5 years, key usage: digital signature
                                                and non-repudiation; OU = agency code)

Private keys are written with mode 0600 and the directories with 0700. Creation takes
an exclusive file lock, so concurrent workers on one machine never create two roots.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from django.conf import settings

from motcua.documents.errors import InvalidAgencyCodeForCertificate
from motcua.kernel import clock

__all__ = [
    "AgencyCredentials",
    "CertificateInfo",
    "LocalCA",
    "agency_code_of",
    "ca_directory",
    "certificate_sha256",
    "get_local_ca",
]

ROOT_NAME = "motcua – CA nội bộ (demo, không có giá trị pháp lý)"
ROOT_VALIDITY = dt.timedelta(days=20 * 365)
AGENCY_VALIDITY = dt.timedelta(days=5 * 365)
KEY_SIZE = 2048
_AGENCY_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.\-]{0,39}$")


def ca_directory() -> Path:
    """Return the CA directory from ``DOCUMENTS_CA_DIR`` (default ``VAR_DIR / "ca"``)."""
    configured = getattr(settings, "DOCUMENTS_CA_DIR", None)
    return Path(configured) if configured else Path(settings.VAR_DIR) / "ca"


def certificate_sha256(certificate: x509.Certificate) -> str:
    """Return the SHA-256 fingerprint (hex) of ``certificate``'s DER encoding."""
    return hashlib.sha256(certificate.public_bytes(serialization.Encoding.DER)).hexdigest()


def agency_code_of(certificate: x509.Certificate) -> str:
    """Return the agency code carried in the subject's OU, or "" when there is none."""
    values = certificate.subject.get_attributes_for_oid(NameOID.ORGANIZATIONAL_UNIT_NAME)
    return str(values[0].value) if values else ""


@dataclass(frozen=True)
class AgencyCredentials:
    """What signing needs: the agency's key and certificate, and the root above it."""

    agency_code: str
    certificate: x509.Certificate
    private_key: rsa.RSAPrivateKey
    root: x509.Certificate


@dataclass(frozen=True)
class CertificateInfo:
    """A certificate as shown by ``motcua ca show`` (never the private key)."""

    subject: str
    agency_code: str
    not_before: dt.datetime
    not_after: dt.datetime
    sha256: str
    path: Path


def _write_private(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.chmod(path, 0o600)


def _write_public(path: Path, data: bytes) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_bytes(data)
    os.chmod(tmp, 0o644)
    tmp.replace(path)


def _new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=KEY_SIZE)


def _key_pem(key: rsa.RSAPrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def _key_usage(*, sign: bool, ca: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=sign,
        content_commitment=sign,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=ca,
        crl_sign=ca,
        encipher_only=False,
        decipher_only=False,
    )


class LocalCA:
    """A root CA and its agency certificates in one directory, created on first use."""

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)
        self._cache: dict[str, AgencyCredentials] = {}

    @property
    def root_cert_path(self) -> Path:
        return self.directory / "root-ca.cert.pem"

    @property
    def root_key_path(self) -> Path:
        return self.directory / "root-ca.key.pem"

    def _agency_paths(self, code: str) -> tuple[Path, Path]:
        base = self.directory / "agencies"
        return base / f"{code}.cert.pem", base / f"{code}.key.pem"

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        (self.directory / "agencies").mkdir(exist_ok=True, mode=0o700)
        with open(self.directory / ".lock", "a+b") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    # --- root ---------------------------------------------------------------------

    def exists(self) -> bool:
        """Return whether the root certificate and key are on disk."""
        return self.root_cert_path.exists() and self.root_key_path.exists()

    def ensure_root(self) -> x509.Certificate:
        """Return the root certificate, creating the root key and certificate if missing."""
        if not self.exists():
            with self._locked():
                if not self.exists():
                    self._create_root()
        return self.root_certificate()

    def root_certificate(self) -> x509.Certificate:
        """Return the root certificate; raise ``FileNotFoundError`` if it was never created."""
        return x509.load_pem_x509_certificate(self.root_cert_path.read_bytes())

    def _root_key(self) -> rsa.RSAPrivateKey:
        key = serialization.load_pem_private_key(self.root_key_path.read_bytes(), password=None)
        assert isinstance(key, rsa.RSAPrivateKey)
        return key

    def _create_root(self) -> None:
        key = _new_key()
        name = x509.Name(
            [
                x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
                x509.NameAttribute(NameOID.ORGANIZATION_NAME, "motcua"),
                x509.NameAttribute(NameOID.COMMON_NAME, ROOT_NAME),
            ]
        )
        now = clock.now()
        certificate = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + ROOT_VALIDITY)
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(_key_usage(sign=False, ca=True), critical=True)
            .add_extension(
                x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False
            )
            .sign(key, hashes.SHA256())
        )
        _write_private(self.root_key_path, _key_pem(key))
        _write_public(self.root_cert_path, certificate.public_bytes(serialization.Encoding.PEM))

    # --- agencies -----------------------------------------------------------------

    def credentials_for(self, agency_code: str, agency_name: str) -> AgencyCredentials:
        """Return the signing credentials of ``agency_code``, issuing a certificate if missing.

        Raise ``InvalidAgencyCodeForCertificate`` when the code could not be a file name
        (anything but letters, digits, dots and hyphens).
        """
        if not _AGENCY_CODE.match(agency_code or ""):
            raise InvalidAgencyCodeForCertificate(params={"code": agency_code})
        cached = self._cache.get(agency_code)
        if cached is not None:
            return cached
        root = self.ensure_root()
        cert_path, key_path = self._agency_paths(agency_code)
        if not (cert_path.exists() and key_path.exists()):
            with self._locked():
                if not (cert_path.exists() and key_path.exists()):
                    self._issue(agency_code, agency_name, cert_path, key_path)
        key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
        assert isinstance(key, rsa.RSAPrivateKey)
        credentials = AgencyCredentials(
            agency_code=agency_code,
            certificate=x509.load_pem_x509_certificate(cert_path.read_bytes()),
            private_key=key,
            root=root,
        )
        self._cache[agency_code] = credentials
        return credentials

    def _issue(self, code: str, name: str, cert_path: Path, key_path: Path) -> None:
        root = self.root_certificate()
        root_key = self._root_key()
        key = _new_key()
        display = (name or code)[:64]
        subject = x509.Name(
            [
                x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
                x509.NameAttribute(NameOID.ORGANIZATION_NAME, display),
                x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, code),
                x509.NameAttribute(NameOID.COMMON_NAME, display),
            ]
        )
        now = clock.now()
        certificate = (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(root.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(min(now + AGENCY_VALIDITY, root.not_valid_after_utc))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(_key_usage(sign=True, ca=False), critical=True)
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(root.public_key()),  # type: ignore[arg-type]
                critical=False,
            )
            .add_extension(
                x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False
            )
            .sign(root_key, hashes.SHA256())
        )
        _write_private(key_path, _key_pem(key))
        _write_public(cert_path, certificate.public_bytes(serialization.Encoding.PEM))

    def describe(self) -> list[CertificateInfo]:
        """Return the root (first) and every agency certificate, for display."""
        paths = [self.root_cert_path] if self.root_cert_path.exists() else []
        paths += sorted((self.directory / "agencies").glob("*.cert.pem"))
        infos = []
        for path in paths:
            certificate = x509.load_pem_x509_certificate(path.read_bytes())
            infos.append(
                CertificateInfo(
                    subject=certificate.subject.rfc4514_string(),
                    agency_code=agency_code_of(certificate),
                    not_before=certificate.not_valid_before_utc,
                    not_after=certificate.not_valid_after_utc,
                    sha256=certificate_sha256(certificate),
                    path=path,
                )
            )
        return infos


_instances: dict[Path, LocalCA] = {}


def get_local_ca() -> LocalCA:
    """Return the process-wide ``LocalCA`` for the configured directory."""
    directory = ca_directory().resolve()
    instance = _instances.get(directory)
    if instance is None:
        instance = _instances[directory] = LocalCA(directory)
    return instance
