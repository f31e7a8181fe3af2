"""Outbound webhooks: other systems subscribe to event topics and receive signed POSTs.

* ``consumers``: the outbox fan-out, one ``WebhookDelivery`` per message and matching
  active subscription (idempotent on the pair, so it needs no delivery row of its own);
* ``dispatch``: the worker's sender — claims due deliveries with ``SKIP LOCKED`` and a
  lease, POSTs them outside any transaction, logs every attempt (status code, duration,
  error) and retries with exponential back-off (``WEBHOOK_RETRY_*``);
* ``signing``: ``X-Motcua-Signature: t=<unix time>,v1=<hex HMAC-SHA256(secret, "t.body")>``
  and ``verify_signature()``, the reference a receiver follows (docs/webhooks.md);
* ``receiver``: a small WSGI receiver that verifies, rejects replays and records what it
  got — the local fake ``webhook-receiver`` of the demo and the tests.
"""
