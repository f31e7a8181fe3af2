"""The ``motcua`` command: Django's ``manage.py`` under the project's name.

``motcua demo`` runs the platform with demo data, ``motcua worker`` the background
worker, ``motcua audit verify`` proves the audit log untouched, ``motcua calendar show
2026`` prints a year of working days; every Django command works too
(``motcua migrate``, ``motcua createsuperuser`` …).
"""

from __future__ import annotations

import os
import sys

__all__ = ["main"]


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["motcua", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
