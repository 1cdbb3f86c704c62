"""Reading a DICOM instance from or for a PACS with a bound, like the loader reads files.

What a server sends is not trusted: a C-STORE or WADO-RS answer may be far bigger than the memory
left, or be a Deflated Explicit VR Little Endian dataset of a few kilobytes that inflates to
gigabytes when pydicom reads it. Every ``dcmread`` of ``io.pacs`` goes through :func:`read_instance`
(or :func:`check_instance` where the bytes are only stored), which refuses such an instance with
one :class:`PacsError` line naming where it came from, before pydicom holds it:

- the instance may take at most half the memory available (``core.memory``: the system's
  available memory, ``ulimit -v`` and ``NEUROVIEW_MEMORY_LIMIT``), as the loader's deflated-DICOM
  bound (``io.compressed``);
- a deflated dataset is inflated once into nothing, 1 MiB at a time, to count its size against
  the same bound (:func:`io.compressed.check_deflated_stream`);
- values of more than ``DEFER_SIZE`` bytes in a file are left on disk until used (as the loader).
"""

from __future__ import annotations

import contextlib
import io
import os
import threading
from typing import Optional, Union

from ...core.errors import LoadError
from ...core.memory import available_bytes, format_bytes
from ..compressed import check_deflated_stream
from .association import wake_after_abort
from .cache import KeptNothing
from .config import PacsError
from .identity import OTHER_PATIENT

DEFER_SIZE = 4096
"""Values bigger than this stay in the file until read (pydicom's ``defer_size``)."""

ABORT_GRACE = 1.0
"""Seconds an association aborted by :class:`ReceiveBound` waits for the peer to close the
connection before closing it itself."""
MORE_MEMORY = "if it is right, read it on a machine with more memory (or raise NEUROVIEW_MEMORY_LIMIT)"
Source = Union[bytes, bytearray, memoryview, str, os.PathLike]


def instance_limit() -> Optional[int]:
    """The most bytes one instance may take, raw or inflated: half the memory available (pydicom
    holds the raw and the decoded dataset at once); ``None`` where nothing tells."""
    available = available_bytes()
    return None if available is None else available // 2


def check_instance(data: Source, source: str, limit: Optional[int] = None) -> None:
    """Refuse an instance (its bytes, or a file) bigger than ``limit`` (default
    :func:`instance_limit`) or whose deflated dataset inflates past it. ``source`` names where it
    came from (a server and the instance's UID, or a file) in the error."""
    limit = instance_limit() if limit is None else limit
    in_memory = isinstance(data, (bytes, bytearray, memoryview))
    try:
        size = len(data) if in_memory else os.path.getsize(data)
    except OSError as exc:
        raise PacsError(f"{source}: cannot be read ({exc.strerror or exc})") from None
    if limit is not None and size > limit:
        raise PacsError(f"{source}: a DICOM instance of {format_bytes(size)}, more than the "
                        f"{format_bytes(limit)} neuroview reads with the memory available",
                        hint=MORE_MEMORY)
    try:
        if in_memory:
            check_deflated_stream(io.BytesIO(data), source, limit)
        else:
            with open(data, "rb") as handle:
                check_deflated_stream(handle, source, limit)
    except LoadError as exc:
        raise PacsError(f"{source}: {exc.message}", hint=MORE_MEMORY) from None
    except OSError as exc:
        raise PacsError(f"{source}: cannot be read ({exc.strerror or exc})") from None


def read_instance(data: Source, source: str, limit: Optional[int] = None, **dcmread_options):
    """``pydicom.dcmread`` of an instance's bytes or file after :func:`check_instance`;
    ``dcmread_options`` (``stop_before_pixels``, ``specific_tags``) go to pydicom. pydicom's own
    errors (not DICOM, truncated) pass through for the caller to name."""
    import pydicom

    check_instance(data, source, limit)
    if isinstance(data, (bytes, bytearray, memoryview)):
        return pydicom.dcmread(io.BytesIO(data), **dcmread_options)
    dcmread_options.setdefault("defer_size", DEFER_SIZE)
    return pydicom.dcmread(data, **dcmread_options)


SERIES_TAGS = ("StudyInstanceUID", "SeriesInstanceUID", "SOPInstanceUID")


def foreign(ds, study_uid: str, series_uid: str, sop_uid: str | None = None, identity=None) -> str:
    """What makes ``ds`` no instance of the series asked for (``""``: nothing): a server that
    answers a retrieval with another series' images (another patient's, maybe) must not have them
    cached under the asked series' UID, where they were opened as it. With ``identity`` (a
    :class:`.identity.StudyIdentity`), an instance of another patient than the study's is foreign
    too: said by the attribute's keyword, never its value."""
    if str(ds.get("SeriesInstanceUID", "")) != series_uid:
        return "another series"
    if str(ds.get("StudyInstanceUID", "")) != study_uid:
        return "another study"
    if sop_uid is not None and str(ds.get("SOPInstanceUID", "")) != sop_uid:
        return "another instance than it named"
    differs = identity.differs(ds) if identity is not None else ""
    if differs:
        return f"{OTHER_PATIENT} (their {differs} is not the study's)"
    return ""


class ReceiveBound:
    """Cuts a C-STORE short as soon as the bytes of its dataset pass the bound, so a DIMSE
    transfer never lands whole on disk before it is refused.

    Bind :meth:`on_pdu` to pynetdicom's ``EVT_PDU_RECV`` on every association that may receive
    C-STOREs. It counts the dataset fragments of the message in progress on each association (the
    count starts again after a message's last fragment) and, once they pass ``limit``, aborts that
    association. pynetdicom writes a chunked dataset to a temporary file it leaves behind when the
    association is aborted mid-message: :meth:`remove_partial` deletes those (call it once the
    associations have ended). At most ``limit`` plus the PDU being processed reach the disk.
    """

    def __init__(self, limit: Optional[int]):
        self.limit = limit
        self.exceeded = 0
        """Dataset bytes received when the first association was aborted (0: none was)."""
        self._received: dict = {}
        """Dataset bytes of the message in progress, by association (held, so never confused
        with a later association that would reuse a freed one's ``id``)."""
        self._partial: list = []

    def on_pdu(self, event) -> None:
        items = getattr(event.pdu, "presentation_data_value_items", None)
        if not items or self.limit is None:
            return
        key = event.assoc
        for item in items:  # PDV items: a message control header byte, then the fragment
            fragment = item.data or b"\x00"
            header = fragment[0]
            if header & 1:  # a command fragment
                continue
            count = self._received.get(key, 0) + len(fragment) - 1
            self._received[key] = 0 if header & 2 else count
            if count > self.limit and key not in self._partial_keys():
                self._abort(event.assoc, count)

    def _partial_keys(self) -> set:
        return {key for key, _message in self._partial}

    def _abort(self, assoc, count: int) -> None:
        self.exceeded = self.exceeded or count
        # the C-STORE being received (pynetdicom's message in progress, with its temporary file)
        self._partial.append((assoc, getattr(assoc.dimse, "message", None)))
        assoc.abort()  # in an event handler: queues the A-ABORT for the DUL thread, returns at once
        # After our own A-ABORT the DUL waits (Sta13) for the peer to close the connection, and when
        # it does (AR-5) pynetdicom does not wake a send_c_get() blocked on its next DIMSE message:
        # the retrieval sat out the whole DIMSE timeout. Wake it as pynetdicom does when the peer
        # aborts (AA-3: ``(None, None)`` on the message queue), but only once the association's
        # reactor thread has ended: abort() lets that thread run again, and it polls the same queue
        # and would take the wake-up for itself. A peer that never closes the connection is given
        # ABORT_GRACE (the ARTIM timer; acse_timeout otherwise).
        # Both reach into pynetdicom's internals (3.0.4 here); tests/pacs/test_pacs_receive_bound.py
        # checks they exist, and without them the abort still happens, only later.
        timer = getattr(getattr(assoc, "dul", None), "artim_timer", None)
        if timer is not None:
            timer.timeout = ABORT_GRACE
        threading.Thread(target=wake_after_abort, args=(assoc, 10 * ABORT_GRACE), daemon=True,
                         name="neuroview-abort-wake").start()

    def remove_partial(self) -> None:
        """Close and delete the temporary files of the transfers this bound cut short."""
        for _key, message in self._partial:
            handle = getattr(message, "_data_set_file", None)
            path = getattr(message, "_data_set_path", None)
            if handle is not None:
                with contextlib.suppress(OSError, ValueError):
                    handle.close()
            if path is not None:
                with contextlib.suppress(OSError):
                    os.unlink(path)
        self._partial.clear()

    def error(self, where: str) -> KeptNothing:
        """The one line for a transfer cut short, naming ``where`` (the server)."""
        return KeptNothing(f"{where} sent an instance bigger than the {format_bytes(self.limit or 0)} "
                         f"neuroview reads with the memory available: the transfer was aborted "
                         f"after {format_bytes(self.exceeded)} and nothing was kept",
                         hint=MORE_MEMORY)
