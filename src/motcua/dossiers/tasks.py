"""Background work of the dossier app (``django.tasks``, run by the ``db_worker``).

``warn_due_dossiers`` is meant to run periodically (every working hour is enough): it
records one ``dossiers.dossier.deadline_warning`` outbox message per dossier that falls
due within ``DOSSIER_WARN_WORKING_DAYS`` working days without an apology, for the
notifications app to tell the agency (R36).
"""

from __future__ import annotations

from django.tasks import task

from motcua.dossiers.actions import do_record_deadline_warnings
from motcua.kernel.actors import Actor

__all__ = ["warn_due_dossiers"]


@task()
def warn_due_dossiers() -> int:
    """Warn the agencies of dossiers due soon; return how many were warned."""
    return do_record_deadline_warnings(actor=Actor.system("deadline-warnings"))
