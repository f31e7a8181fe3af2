"""Fixtures of the dossier tests: the world, a settable clock, and "nothing written" checks."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pypdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from tests.dossiers.factories import World, make_world

from motcua.audit.models import AuditEvent
from motcua.documents import rendering
from motcua.documents.models import IssuedDocument, Result, StoredFile
from motcua.dossiers import actions
from motcua.dossiers.models import (
    Dossier,
    DossierCodeSequence,
    DossierDocument,
    Extension,
    HandoverEntry,
    Refusal,
    StopNotice,
    SupplementRequest,
)
from motcua.integration.models import OutboxMessage
from motcua.kernel import clock
from motcua.kernel.actors import Actor
from motcua.kernel.clock import VN_TZ
from motcua.kernel.errors import ApplicationError
from motcua.workdays.selectors import invalidate_calendar_cache

# Monday 6 October 2025, 09:00 in Hà Nội: an ordinary working week under Circular 03/2025.
MONDAY_9 = dt.datetime(2025, 10, 6, 9, 0, tzinfo=VN_TZ)

MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def local(*args: int) -> dt.datetime:
    """Return an aware datetime in Asia/Ho_Chi_Minh: ``local(2025, 10, 6, 9)``."""
    return dt.datetime(*args, tzinfo=VN_TZ)  # type: ignore[misc]


@dataclass
class Clock:
    """A settable clock: tests move it with ``clock.set(local(…))``."""

    moment: dt.datetime

    def set(self, moment: dt.datetime) -> None:
        self.moment = moment

    def __call__(self) -> dt.datetime:
        return self.moment


def blank_pdf(html: str, *, custom_metadata: bool = False) -> bytes:
    """A one-page PDF standing in for WeasyPrint's layout (about a second per page)."""
    writer = pypdf.PdfWriter()
    writer.add_blank_page(595, 842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def fast_pdf(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Skip WeasyPrint's page layout unless the test asks for ``real_pdf``.

    Templates are still rendered and results still signed and hashed; only the HTML →
    PDF layout step is replaced. ``test_paperwork`` checks the real PDFs.
    """
    if "real_pdf" not in request.fixturenames:
        monkeypatch.setattr(rendering, "html_to_pdf", blank_pdf)


@pytest.fixture
def real_pdf() -> None:
    """Request real WeasyPrint rendering in this test."""


@pytest.fixture
def frozen(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock(MONDAY_9)
    monkeypatch.setattr(clock, "now", fake)
    return fake


@pytest.fixture
def world(db: None, frozen: Clock) -> Iterator[World]:
    invalidate_calendar_cache()
    yield make_world()
    invalidate_calendar_cache()


def snapshot() -> dict[str, Any]:
    """Return everything a dossier action may write, to compare before and after."""
    return {
        "audit": AuditEvent.objects.count(),
        "outbox": OutboxMessage.objects.count(),
        "dossiers": list(
            Dossier.objects.order_by("pk").values_list(
                "pk", "state", "national_status", "code", "due_at", "assignee_id", "paid_at"
            )
        ),
        "documents": list(
            DossierDocument.objects.order_by("pk").values_list("pk", "stored_file_id", "exemption")
        ),
        "handovers": list(HandoverEntry.objects.order_by("pk").values_list("pk", "done_at")),
        "supplements": SupplementRequest.objects.count(),
        "extensions": Extension.objects.count(),
        "refusals": Refusal.objects.count(),
        "stops": StopNotice.objects.count(),
        "sequences": list(DossierCodeSequence.objects.values_list("unit_code", "last_number")),
        "forms": IssuedDocument.objects.count(),
        "results": Result.objects.count(),
        "files": StoredFile.objects.count(),
    }


def pdf_upload(name: str = "scan.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, MINIMAL_PDF, content_type="application/pdf")


def digitise_all(dossier: Dossier, actor: Actor) -> None:
    """Digitise every provided paper document that needs it (through the action)."""
    for document in DossierDocument.objects.filter(dossier=dossier):
        if document.needs_digitisation:
            actions.do_digitise_document(document, actor=actor, uploaded_file=pdf_upload())


def reload(dossier: Dossier) -> Dossier:
    return Dossier.objects.select_related(
        "receiving_desk", "current_agency", "competent_agency", "procedure_version", "case"
    ).get(pk=dossier.pk)


@contextmanager
def fails_with(code: str) -> Iterator[None]:
    """Expect an ``ApplicationError`` with the stable ``code`` from the block."""
    with pytest.raises(ApplicationError) as err:
        yield
    assert err.value.code == code, err.value


@pytest.fixture
def online(world: World) -> World:
    """The world with its procedures offered online (and one asking for a stored result)."""
    from tests.portal.factories import make_online

    make_online(world)
    return world


@pytest.fixture
def lan(db: None) -> Any:
    """A citizen whose personal ID is the world's applicant's (``PERSONAL_ID``)."""
    from tests.portal.factories import make_citizen

    return make_citizen()


@pytest.fixture
def hung(db: None) -> Any:
    """Another citizen."""
    from tests.portal.factories import OTHER_PERSONAL_ID, make_citizen

    return make_citizen(
        "hung",
        personal_id=OTHER_PERSONAL_ID,
        full_name="Lê Văn Hùng",
        birth_date=dt.date(1990, 3, 2),
    )
