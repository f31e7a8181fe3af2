"""The kernel: what every motcua app may import and that imports no app.

Actors, typed application errors, the clock, identifiers and text helpers.
"""
