"""The procedure catalogue (TTHC): procedures, versions in force, import/export and search.

Every dossier, form, deadline, fee and indicator refers to a ``ProcedureVersion``;
``selectors.get_version_in_force(code, at=…)`` is how other apps find it.
"""
