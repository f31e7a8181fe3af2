"""The outbox: side effects leave the database only after the transaction that caused them commits.

``outbox.enqueue()`` writes an ``OutboxMessage`` inside the caller's transaction; the
relay (``motcua worker``) delivers each message to the consumers registered for its
topic, at least once, retrying failures with exponential back-off. Consumers are
idempotent on the message id: a consumer that succeeded is recorded in
``OutboxDelivery`` and is never called again for the same message.
"""
