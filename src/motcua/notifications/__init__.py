"""Telling the applicant: e-mail and SMS on the events of their dossier they must know.

The outbox consumer ``notifications.plan`` turns a dossier event (received, supplement
requested, payment requested, apology and new date, result ready, returned) into one
``Notification`` row per channel, once per outbox message; a delivery (the
``deliver_notification`` task, retried with back-off, and the ``motcua notifications
send`` sweep) renders the message in the applicant's language and sends it. Rows hold
the status, the attempts and a masked recipient, never a message body. ADR 0017.
"""
