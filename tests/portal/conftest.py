"""Fixtures of the portal tests: the dossier tests' world, offered online, and two citizens
(``online``, ``lan``, ``hung`` live in ``tests/dossiers/conftest.py``)."""

from tests.dossiers.conftest import (  # noqa: F401
    fast_pdf,
    frozen,
    hung,
    lan,
    online,
    real_pdf,
    world,
)
