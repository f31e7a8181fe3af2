"""A test-only app: a small lifecycle for the workflow engine and outbox consumers for the relay tests."""
