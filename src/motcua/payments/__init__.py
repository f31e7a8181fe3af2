"""Online payment of a dossier's fees through the national payment platform.

A fee order (``PaymentOrder``) lists the fee lines of a dossier in financial obligation
(status 6); each time the applicant is sent to the platform a ``PaymentAttempt`` is
made. The dossier is paid only on a verified server-to-server notification from the
platform (or a verified answer to the reconciliation's query), never on the user's
return: ``actions.do_handle_notification`` checks the HMAC, the order, the amount and
the currency and is idempotent on the platform's transaction id. A paid order enqueues
``payments.order.paid`` (the scoreboard's contract) and gets an electronic receipt.
The protocol is in ``platform``; its local fake in ``fake``; ADR 0016 explains both.
"""
