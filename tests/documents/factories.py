"""Test factories of documents: a ``Result`` row as ``do_issue_result`` would leave it.

Used where the action under test is not the issue itself (revocation, verification),
so that those tests need not render and sign a PDF each.
"""

from __future__ import annotations

import hashlib

from django.core.files.base import ContentFile

from motcua.documents.models import Result
from motcua.kernel import clock
from tests.documents.conftest import DOSSIER_CODE, JUSTICE_CODE


def make_result(
    *,
    pdf: bytes = b"%PDF-1.7 test\n%%EOF\n",
    code: str = DOSSIER_CODE + "-KQ1",
    agency_code: str = JUSTICE_CODE,
    certificate_sha256: str = "",
) -> Result:
    result = Result(
        code=code,
        title="Giấy khai sinh",
        subject_type="dossiers.dossier",
        subject_id="42",
        agency_code=agency_code,
        agency_name="Sở Tư pháp tỉnh Thanh Hóa",
        signer_name="Trần Văn Ký",
        holder_name="Nguyễn Văn An",
        sha256=hashlib.sha256(pdf).hexdigest(),
        size=len(pdf),
        certificate_sha256=certificate_sha256,
        issued_at=clock.now(),
        issued_by="system:tests",
    )
    result.file.save("result.pdf", ContentFile(pdf), save=False)
    result.save(force_insert=True)
    return result
