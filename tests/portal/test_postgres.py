"""PostgreSQL only: two tabs submitting the same draft at the same moment make one dossier."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from motcua.dossiers.models import Dossier
from motcua.kernel.errors import ApplicationError
from motcua.portal import actions
from tests.dossiers.factories import World
from tests.portal import flows
from tests.portal.factories import Person

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_simultaneous_submissions_of_one_draft_make_one_dossier(
    online: World, lan: Person
) -> None:
    flows.store_result(online)
    draft = flows.filled_draft(online, lan)
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def submit() -> None:
        try:
            start.wait()
            dossier = actions.do_submit_draft(draft, actor=lan.actor)
            outcomes.append(f"dossier:{dossier.pk}")
        except ApplicationError as error:
            outcomes.append(error.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(o.split(":")[0] for o in outcomes) == [
        "dossier",
        "portal.draft_already_submitted",
    ]
    assert Dossier.objects.filter(applicant_user=lan.user).count() == 1
