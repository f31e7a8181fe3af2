"""The audit log: append-only, hash-chained per aggregate. Write with ``audit.record()``."""
