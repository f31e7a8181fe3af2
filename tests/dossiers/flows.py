"""Drive dossiers to a stage through the actions (never by assigning a state)."""

from __future__ import annotations

from tests.dossiers.conftest import digitise_all
from tests.dossiers.factories import PERSONAL_ID, World, chain_submission

from motcua.dossiers import actions
from motcua.dossiers.actions import ApplicantData, Submission
from motcua.dossiers.models import Dossier


def single_submission(world: World) -> Submission:
    """A counter submission for the one-agency, fee-free procedure (3 working days)."""
    return Submission(
        procedure_code=world.single.code,
        applicant=ApplicantData(name="Hoàng Văn Minh", id_number=PERSONAL_ID, phone="0987654321"),
        documents=world.provided("criminal_form"),
    )


def received(world: World, *, chain: bool = True) -> Dossier:
    submission = chain_submission(world) if chain else single_submission(world)
    dossier = actions.do_receive_at_desk(
        world.desk, actor=world.actors["desk"], submission=submission
    )
    digitise_all(dossier, world.actors["desk"])
    return dossier


def transferred(world: World, *, chain: bool = True) -> Dossier:
    dossier = received(world, chain=chain)
    actions.do_transfer_dossier(dossier, actor=world.actors["desk"])
    return dossier


def in_process(world: World, *, chain: bool = True) -> Dossier:
    """At Sở Tư pháp, assigned to its handler."""
    dossier = transferred(world, chain=chain)
    a = world.actors
    actions.do_assign_dossier(
        dossier, actor=a["justice_reviewer"], assignee_id=a["justice_handler"].user_id
    )
    return dossier


def awaiting_signature(world: World, *, chain: bool = True) -> Dossier:
    dossier = in_process(world, chain=chain)
    a = world.actors
    actions.do_submit_for_review(dossier, actor=a["justice_handler"])
    actions.do_approve_dossier(dossier, actor=a["justice_reviewer"])
    return dossier


def at_construction(world: World) -> Dossier:
    """An inter-agency dossier forwarded to Sở Xây dựng and assigned there."""
    dossier = awaiting_signature(world)
    a = world.actors
    actions.do_forward_to_next_agency(dossier, actor=a["justice_signer"])
    actions.do_assign_dossier(
        dossier, actor=a["construction_reviewer"], assignee_id=a["construction_handler"].user_id
    )
    return dossier


def result_ready(world: World) -> Dossier:
    """The fee-free single-agency dossier, signed: status 9."""
    dossier = awaiting_signature(world, chain=False)
    actions.do_sign_result(dossier, actor=world.actors["justice_signer"])
    return dossier
