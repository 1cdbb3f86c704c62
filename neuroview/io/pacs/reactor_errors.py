"""A server's DIMSE message that pynetdicom's reactor thread cannot decode (a C-STORE request
without its AffectedSOPInstanceUID, from a hostile or broken server) ends that thread with an
exception, which Python printed on the terminal as a 23-line traceback: the retrieval itself
then ends in its one line (the server stopped answering; what was received is kept). Such an
exception is logged in one line naming its type (no value of the message), never printed."""

from __future__ import annotations

import logging
import threading
import traceback

logger = logging.getLogger(__name__)
_installed: list = []


def _in_pynetdicom(args) -> bool:
    frames = traceback.extract_tb(args.exc_traceback)
    return bool(frames) and any("/pynetdicom/" in frame.filename.replace("\\", "/") for frame in frames[:3])


def quiet_reactor_errors() -> None:
    """Install (once) the thread hook that logs an exception ending a pynetdicom thread."""
    if _installed:
        return
    previous = threading.excepthook

    def hook(args) -> None:
        if args.exc_type is not None and issubclass(args.exc_type, Exception) and _in_pynetdicom(args):
            logger.info("a DICOM message from the server could not be read (%s); its association "
                        "is given up", args.exc_type.__name__)
            return
        previous(args)

    threading.excepthook = hook
    _installed.append(hook)
