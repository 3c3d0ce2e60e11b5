"""The `innocluster` command: Django's manage.py with the project's settings, from any directory.

Exit codes follow ARCHITECTURE: 0 success, 1 a failed check or domain error, 2 wrong usage; and
141 when the reader of the output went away (``innocluster policy list | head -1``).

Why 141 and not 0: it is 128 + SIGPIPE, what ``ls``, ``grep`` or any C tool reports in the same
pipe, so a script with ``set -o pipefail`` treats us like them, and it does not claim the whole
output was delivered. Python ignores SIGPIPE and raises ``BrokenPipeError`` instead; the recipe of
the ``signal`` module's documentation is followed: point stdout at /dev/null so the interpreter's
final flush cannot fail again, then exit without a traceback.
"""

import os
import sys

EXIT_BROKEN_PIPE = 128 + 13  # 128 + SIGPIPE, as a shell reports a tool a closed pipe stopped


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "innocluster.settings")
    from django.core.management import execute_from_command_line

    argv = list(sys.argv if argv is None else argv)
    argv[0] = "innocluster"
    from innocluster.core.errors import DomainError, lock_failures_as_domain_errors

    try:
        with lock_failures_as_domain_errors():
            execute_from_command_line(argv)
        sys.stdout.flush()  # a broken pipe shows at the last flush when the output was short
    except DomainError as exc:  # a refused business action: the message, exit code 1, no traceback
        sys.stderr.write(f"{exc}\n")
        sys.exit(1)
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(EXIT_BROKEN_PIPE)


if __name__ == "__main__":
    main()
