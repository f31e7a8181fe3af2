"""Plain input values of the dossier actions (built by the API, the desk forms, the portal)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from motcua.dossiers.enums import ApplicantKind, DeliveryChannel, SubmissionChannel, SubmitterKind

__all__ = [
    "ApplicantData",
    "ProvidedDocument",
    "Submission",
    "SubmitterData",
    "SupplementItem",
    "SuppliedDocument",
]


@dataclass(frozen=True)
class ApplicantData:
    """The applicant (the principal). ``id_number``: 12-digit personal ID, 9-digit old ID
    card, or an enterprise code for an organisation; ``birth_year``/``is_female``, when
    given, must agree with a 12-digit number (R14)."""

    name: str
    id_number: str
    kind: ApplicantKind = ApplicantKind.PERSON
    birth_year: int | None = None
    is_female: bool | None = None
    phone: str = ""
    email: str = ""
    address: str = ""


@dataclass(frozen=True)
class SubmitterData:
    """Who submitted, when not the applicant: an authorised person needs the authorisation
    document and an identification number (R13); a hired service provider its name."""

    kind: SubmitterKind = SubmitterKind.SELF
    name: str = ""
    id_number: str = ""
    phone: str = ""
    authorisation_note: str = ""


@dataclass(frozen=True)
class ProvidedDocument:
    """A required document of the procedure version that the applicant handed in.

    Online (the citizen portal), the document is a file already stored
    (``stored_file_id``), an item of the applicant's data store (``data_store_item_id``),
    data taken from a database (``source`` ``"database"`` with ``data_source_code``) or
    the e-form itself (``source`` ``"e_form"``).
    """

    procedure_document_id: int
    originals: int = 0
    certified_copies: int = 0
    photocopies: int = 0
    source: str = ""
    stored_file_id: int | None = None
    data_store_item_id: int | None = None
    data_source_code: str = ""


@dataclass(frozen=True)
class Submission:
    """What arrives at the desk or from the portal: procedure, case, people, documents.

    ``case_code`` may be empty when the version has one case; ``competent_agency_id``
    may be omitted when the case's process steps (or the version's implementing
    agencies) name a single competent agency.
    """

    procedure_code: str
    applicant: ApplicantData
    channel: SubmissionChannel = SubmissionChannel.DIRECT
    return_channel: DeliveryChannel = DeliveryChannel.DESK
    case_code: str = ""
    competent_agency_id: int | None = None
    submitter: SubmitterData = field(default_factory=SubmitterData)
    documents: tuple[ProvidedDocument, ...] = ()
    # The e-form filled online (request details, contact, return channel).
    application_form: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class SupplementItem:
    """One line of a supplement request: what is missing or defective, and why."""

    text: str
    reason: str
    document_id: int | None = None


@dataclass(frozen=True)
class SuppliedDocument:
    """What the applicant brings online for a document of a supplement request: a new
    upload (``uploaded_file``) or an item of their data store (``data_store_item_id``).
    ``document_id`` is the dossier's document (``DossierDocument``); ``None`` for an
    additional paper that the request names only in words."""

    document_id: int | None
    uploaded_file: Any = None
    data_store_item_id: int | None = None
