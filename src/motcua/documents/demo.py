"""Demo data of documents: the local CA that signs results (``motcua demo`` runs this).

Only the root is created here; each agency's certificate is issued on its first
signature (``ca.LocalCA.credentials_for``), so the demo does not generate keys for
agencies that never sign. Idempotent: a second run finds the root and changes nothing.
"""

from __future__ import annotations

from motcua.documents.ca import certificate_sha256, get_local_ca

__all__ = ["load_demo"]


def load_demo() -> list[str]:
    """Create the local root CA if missing; return the lines to show the operator."""
    ca = get_local_ca()
    existed = ca.exists()
    root = ca.ensure_root()
    state = "đã có" if existed else "vừa tạo"
    return [
        f"CA nội bộ ký kết quả điện tử ({state}, chỉ dùng cho demo): {ca.root_cert_path}",
        f"  SHA-256 chứng thư gốc: {certificate_sha256(root)}",
        "  Xác minh kết quả: /xac-minh/",
    ]
