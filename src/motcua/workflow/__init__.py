"""State machines as data, and ``apply_transition()``: the only way a state changes.

This package imports no domain app. Domain apps declare their machine in their own
``states.py`` and register it, so that the architecture test and the generated
diagrams know every state field.
"""
