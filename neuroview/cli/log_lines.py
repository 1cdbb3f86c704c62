"""Log records on stderr as every line neuroview writes there: ``neuroview: ...`` (from ERROR on,
``neuroview: error: ...``). Python's handler of last resort wrote a WARNING record's message bare
(``Dataset501_Lesions: removed the unfinished case ...`` beside ``neuroview: error: ...`` and
``note: ...`` lines) until session 44."""

from __future__ import annotations

import logging
import sys


class _Lines(logging.Handler):
    """The handler of last resort (used while no handler is set: a caller's or a test's take its
    place): WARNING and above, one record a line, on the stderr of the moment, as Python's own."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)

    def emit(self, record: logging.LogRecord) -> None:
        stream = sys.stderr
        if stream is None:   # a window started without a console
            return
        try:
            said = "error: " if record.levelno >= logging.ERROR else ""
            stream.write(f"neuroview: {said}{self.format(record)}\n")
            stream.flush()
        except Exception:   # a closed terminal: as logging's own handlers, said by handleError
            self.handleError(record)


def install() -> None:
    """Put :class:`_Lines` in the place of Python's handler of last resort, in this process."""
    if not isinstance(logging.lastResort, _Lines):
        logging.lastResort = _Lines()
