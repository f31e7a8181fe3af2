"""The local CA: created once, private keys 0600, one certificate per agency; ``motcua ca``."""

from __future__ import annotations

import io
import stat
from pathlib import Path

import pytest
from cryptography.x509.oid import ExtensionOID, NameOID
from django.core.management import call_command

from motcua.documents.ca import LocalCA, agency_code_of, get_local_ca
from motcua.documents.errors import InvalidAgencyCodeForCertificate


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_first_use_creates_the_root_and_the_agency_certificate(tmp_path: Path) -> None:
    # Given an empty CA directory
    ca = LocalCA(tmp_path / "ca")
    assert not ca.exists()

    # When an agency needs to sign
    credentials = ca.credentials_for("000.00.12.H56", "Sở Tư pháp tỉnh Thanh Hóa")

    # Then the root and the agency's key and certificate exist, keys readable by the owner only
    agency_cert = tmp_path / "ca" / "agencies" / "000.00.12.H56.cert.pem"
    agency_key = tmp_path / "ca" / "agencies" / "000.00.12.H56.key.pem"
    assert ca.exists()
    assert agency_cert.exists()
    assert agency_key.exists()
    assert _mode(ca.root_key_path) == 0o600
    assert _mode(agency_key) == 0o600
    assert _mode(tmp_path / "ca") == 0o700
    # and the certificate is issued by the root, names the agency and may sign documents
    certificate = credentials.certificate
    assert certificate.issuer == ca.root_certificate().subject
    assert agency_code_of(certificate) == "000.00.12.H56"
    assert (
        certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value
        == "Sở Tư pháp tỉnh Thanh Hóa"
    )
    usage = certificate.extensions.get_extension_for_oid(ExtensionOID.KEY_USAGE).value
    assert usage.digital_signature
    assert usage.content_commitment
    assert not usage.key_cert_sign
    basic = (
        ca.root_certificate().extensions.get_extension_for_oid(ExtensionOID.BASIC_CONSTRAINTS).value
    )
    assert basic.ca is True


def test_second_use_reuses_the_same_keys(tmp_path: Path) -> None:
    first = LocalCA(tmp_path).credentials_for("000.00.12.H56", "Sở Tư pháp")
    root_pem = (tmp_path / "root-ca.cert.pem").read_bytes()
    # A new process (a new LocalCA on the same directory) finds them on disk
    second = LocalCA(tmp_path).credentials_for("000.00.12.H56", "Sở Tư pháp")
    assert second.certificate == first.certificate
    assert (tmp_path / "root-ca.cert.pem").read_bytes() == root_pem


@pytest.mark.parametrize("code", ["", "../etc/passwd", "a/b", "mã có dấu", "x" * 41])
def test_a_code_that_is_not_a_safe_file_name_is_refused(tmp_path: Path, code: str) -> None:
    with pytest.raises(InvalidAgencyCodeForCertificate) as caught:
        LocalCA(tmp_path).credentials_for(code, "Cơ quan")
    assert caught.value.code == "documents.invalid_agency_code"
    assert not (tmp_path / "agencies").exists() or list((tmp_path / "agencies").iterdir()) == []


def test_the_configured_directory_is_used(settings, tmp_path: Path) -> None:
    settings.DOCUMENTS_CA_DIR = tmp_path / "elsewhere"
    assert get_local_ca().directory == (tmp_path / "elsewhere").resolve()


@pytest.mark.django_db
def test_command_init_and_show(settings, tmp_path: Path, justice) -> None:
    settings.DOCUMENTS_CA_DIR = tmp_path / "cmd-ca"
    out = io.StringIO()

    call_command("ca", "init", "--agency", "000.00.12.H56", stdout=out)

    text = out.getvalue()
    assert f"CA gốc vừa được tạo: {tmp_path / 'cmd-ca' / 'root-ca.cert.pem'}" in text
    assert "Chứng thư số của 000.00.12.H56 (Sở Tư pháp tỉnh Thanh Hóa): sẵn sàng" in text
    assert "- CA gốc: CN=motcua" in text
    assert "- Cơ quan 000.00.12.H56: CN=Sở Tư pháp tỉnh Thanh Hóa" in text
    assert "(còn hạn)" in text
    assert "PRIVATE KEY" not in text

    again = io.StringIO()
    call_command("ca", "show", stdout=again)
    assert "CA gốc vừa được tạo" not in again.getvalue()
    assert again.getvalue().count("SHA-256 ") == 2


def test_demo_loader_creates_the_root_once(settings, tmp_path: Path) -> None:
    from motcua.documents.demo import load_demo

    settings.DOCUMENTS_CA_DIR = tmp_path / "demo-ca"
    first = load_demo()
    root_pem = (tmp_path / "demo-ca" / "root-ca.cert.pem").read_bytes()
    second = load_demo()

    assert first[0].startswith("CA nội bộ ký kết quả điện tử (vừa tạo, chỉ dùng cho demo): ")
    assert second[0].startswith("CA nội bộ ký kết quả điện tử (đã có, chỉ dùng cho demo): ")
    assert first[1:] == second[1:]
    assert (tmp_path / "demo-ca" / "root-ca.cert.pem").read_bytes() == root_pem
    assert list((tmp_path / "demo-ca" / "agencies").iterdir()) == []
