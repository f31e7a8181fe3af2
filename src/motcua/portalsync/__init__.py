"""National portal sync: every dossier event pushed to DVCQG, online dossiers pulled back.

The public surface:

``portalsync.consumers``
    ``push_to_portal``: the ordered batch consumer of ``dossiers.dossier.*`` that sends
    each event with the dossier's current record (``payloads``) through
    ``integration.adapters.dvcqg`` and records the outcome (``actions``).
``portalsync.pull``
    ``pull_from_portal``: online dossiers created on the portal enter the desk's queue
    (status 1) once each; the worker runs it every ``DVCQG_PULL_INTERVAL_SECONDS``.
``portalsync.selectors``
    per-dossier sync status, the operations list (late or failing), the reconciliation
    report and ``compute_sync_share`` — the "synced on time" share of a period.
``motcua portal pull | reconcile | status``
    the same from the command line.

Contract with the scoreboard: when the portal acknowledges a status event, the topic
``integration.portal.acknowledged`` is enqueued in the transaction that records it, with
``{"dossier_id", "code", "national_status", "event_at", "acknowledged_at", "on_time"}``.

Layer: above ``dossiers`` (it reads dossiers, their documents and results), beside
``notifications`` and ``scoreboard`` (ADR 0014).
"""
