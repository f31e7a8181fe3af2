"""Citizens for the portal tests, and the dossier world made ready for online applications.

``Citizen`` rows stand for accounts verified by the national e-ID (the ``eid`` branch
creates them at login); here they are created directly and logged in with
``client.force_login``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model

from motcua.catalog.models import ProcedureDocument, ProcedureVersion
from motcua.identity.models import Citizen
from motcua.identity.selectors import get_actor
from motcua.kernel.actors import Actor
from tests.dossiers.factories import PERSONAL_ID, VALID_FROM, World

# A man born in 1990 whose birth was registered in Thanh Hóa (038): another citizen.
OTHER_PERSONAL_ID = "038090000456"


@dataclass
class Person:
    citizen: Citizen
    actor: Actor

    @property
    def user(self):  # type: ignore[no-untyped-def]
        return self.citizen.user


def make_citizen(
    username: str = "lan",
    *,
    personal_id: str = PERSONAL_ID,
    full_name: str = "Nguyễn Thị Lan",
    birth_date: dt.date = dt.date(2003, 5, 1),
    kind: str = "person",
    organisation_code: str = "",
) -> Person:
    """Create a citizen account with a verified identity (assurance level 2)."""
    user = get_user_model().objects.create_user(username=username, password="x")
    citizen = Citizen.objects.create(
        user=user,
        kind=kind,
        issuer="https://eid.example.test",
        subject=f"sub-{username}",
        full_name=full_name,
        birth_date=birth_date,
        personal_id=personal_id,
        organisation_code=organisation_code,
        assurance_level=2,
        phone="0912345678",
        email=f"{username}@example.test",
        address="Số 1 Lê Lợi, phường Hạc Thành, tỉnh Thanh Hóa",
        created_at=VALID_FROM,
        verified_at=VALID_FROM,
    )
    return Person(citizen, get_actor(user))


def make_online(world: World) -> ProcedureDocument:
    """Offer the world's procedures online; the inter-agency one also asks for the result
    of the criminal-record procedure (type ``KQ:1.000002``), which the data store can give.
    Return that document."""
    ProcedureVersion.objects.filter(pk__in=[world.chain.pk, world.single.pk]).update(
        online_level="full"
    )
    world.chain.refresh_from_db()
    world.single.refresh_from_db()
    document = ProcedureDocument.objects.create(
        version=world.chain,
        position=5,
        code=f"KQ:{world.single.code}",
        name="Phiếu lý lịch tư pháp",
        certified_copies=1,
    )
    world.documents["criminal_record"] = document
    return document
