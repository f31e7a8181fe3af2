"""Background work of the payments app (``django.tasks``, run by the ``db_worker``).

``check_payment_attempt`` is enqueued (deferred by ``PAYMENT_CHECK_AFTER_SECONDS``) for
every attempt when the applicant is sent to the platform: if no notification came by
then, it asks the platform and settles the attempt, or enqueues itself again with a
back-off while the platform still says "pending". ``reconcile_payments`` sweeps every
open attempt whose check is due (the same as ``motcua payments reconcile``): run it
periodically as a safety net for a lost task.
"""

from __future__ import annotations

from django.tasks import task

from motcua.payments.actions import do_check_attempt, do_reconcile_payments
from motcua.payments.models import AttemptStatus, PaymentAttempt

__all__ = ["check_payment_attempt", "reconcile_payments"]


@task()
def check_payment_attempt(attempt_id: int) -> str:
    """Check one attempt at the platform; return the outcome."""
    attempt = PaymentAttempt.objects.filter(pk=attempt_id).first()
    if attempt is None:
        return "missing"
    outcome = do_check_attempt(attempt).outcome
    attempt.refresh_from_db(fields=["status", "next_check_at"])
    if attempt.status == AttemptStatus.STARTED and attempt.next_check_at is not None:
        check_payment_attempt.using(run_after=attempt.next_check_at).enqueue(attempt_id)
    return outcome


@task()
def reconcile_payments() -> dict[str, int]:
    """Check every open attempt whose check is due; return the counts."""
    return vars(do_reconcile_payments())
