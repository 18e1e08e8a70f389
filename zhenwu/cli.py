"""The `zhenwu` command: Django's management commands under one name.

`zhenwu migrate`, `zhenwu demo`, `zhenwu serve --host --port`, `zhenwu tick`,
`zhenwu areas import FILE`, `zhenwu calendar add-workdays DATE N`, `zhenwu audit verify`, …
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhenwu.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["zhenwu", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
