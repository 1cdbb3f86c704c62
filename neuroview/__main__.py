"""``python -m neuroview``, and the ``neuroview`` command (pyproject's script): :func:`command`."""

import signal
import sys


def command() -> int:
    """The ``neuroview`` command, taking Ctrl+C from its first line: importing the command line
    (numpy and more, 0.2-0.7 s at load 8) is within it. A Ctrl+C then ended the process by SIGINT
    (exit -2) with Python's traceback; it is now said in one line, exit 130, as later ones."""
    try:
        from neuroview.cli.main import main

        return main()
    except KeyboardInterrupt as stop:   # one main() did not say: during the imports before it
        signal.signal(signal.SIGINT, signal.SIG_IGN)   # a second one while this is said
        from neuroview.cli.stop_signals import stopped

        return stopped(stop)


if __name__ == "__main__":
    sys.exit(command())
