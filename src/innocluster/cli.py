"""The `innocluster` command: Django's manage.py with the project's settings, from any directory.

Exit codes follow ARCHITECTURE: 0 success, 1 a failed check or domain error, 2 wrong usage.
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "innocluster.settings")
    from django.core.management import execute_from_command_line

    argv = list(sys.argv if argv is None else argv)
    argv[0] = "innocluster"
    from innocluster.core.errors import DomainError, lock_failures_as_domain_errors

    try:
        with lock_failures_as_domain_errors():
            execute_from_command_line(argv)
    except DomainError as exc:  # a refused business action: the message, exit code 1, no traceback
        sys.stderr.write(f"{exc}\n")
        sys.exit(1)


if __name__ == "__main__":
    main()
