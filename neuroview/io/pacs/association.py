"""DIMSE associations with pynetdicom, shared by :mod:`.dimse` and :mod:`.move_check`: asking a
server for one, our storage SCP for C-MOVE, and whether a DIMSE answer carries a status.

A refused association becomes one :class:`PacsError` line that names the server and what went
wrong (refused AE title, nothing listening, not a DICOM peer). pynetdicom's own logger is kept at
WARNING: at DEBUG it dumps identifiers (patient names) that must never reach a log.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import time
import weakref
from typing import Iterable

from ...core.errors import Cancelled
from .callbacks import CancelCheck, never_cancelled
from .config import PacsError, ServerConfig
from .connect_stop import ConnectStop
from .reactor_errors import quiet_reactor_errors

logging.getLogger("pynetdicom").setLevel(logging.WARNING)
log = logging.getLogger(__name__)
_STALLED: weakref.WeakSet = weakref.WeakSet()
"""Associations on which the server's timeout passed with nothing from the server (see :func:`lost`)."""


def where(config: ServerConfig) -> str:
    return f"{config.name} ({config.called_aet}@{config.host}:{config.port})"


def unknown_host(host: str) -> str:
    """What to say of a host name the name service does not know (a typo, or a name known only
    on the hospital's network)."""
    return f"the host name {host} is not known here (check its spelling, or enter the server's IP address)"


def no_delay(event) -> None:
    """Send each write at once (``TCP_NODELAY``) on an association's connection, ours or one a
    server opened to our storage SCP: an event handler for pynetdicom's ``EVT_CONN_OPEN``. A DIMSE
    message goes out in several writes; with Nagle's algorithm on, a write waited for the peer's
    delayed acknowledgement of the one before (40 ms on Linux), a C-STORE round trip took 90 ms
    instead of 15 (81 files sent to Orthanc: 8.2 s, 4.9 s with this, 1.2 s with Orthanc's own
    sockets so too)."""
    sock = getattr(event.assoc.dul.socket, "socket", None)
    if sock is not None:
        with contextlib.suppress(OSError):   # closed meanwhile: nothing to send anyway
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


def leave_answers_to_sender(assoc) -> None:
    """Keep the association's reactor thread from taking the answer a ``send_*()`` waits for.

    pynetdicom (3.0.4) pauses its reactor during a send by clearing an event and waiting for a
    flag the reactor sets before it blocks on that event; when the reactor thread was woken by the
    previous send's end but not yet scheduled, the next send sees the stale flag and goes on, the
    reactor then takes the C-STORE or C-FIND response off the queue ("Received unexpected C-STORE
    service message"), and the send sits out the DIMSE timeout and aborts: under load, a store of
    12 files ended "went away while receiving (1 of 12 files stored)". The reactor's polls (the
    non-blocking ones) now take requests only (a peer's C-STORE of a C-GET, its release or abort
    are handled as before); answers stay on the queue for the send that asked.
    """
    dimse = assoc.dimse
    waiting = dimse.msg_queue

    def get_msg(block: bool = False, _blocking=dimse.get_msg):
        if block:
            started = time.monotonic()
            answer = _blocking(block)
            timeout = dimse.dimse_timeout
            if answer[1] is None and timeout and time.monotonic() - started >= 0.99 * timeout:
                _STALLED.add(assoc)   # the DIMSE timeout passed, not an abort or a close
            return answer
        with waiting.mutex:
            if not waiting.queue:
                return None, None
            _context, message = waiting.queue[0]
            if message is not None and message.is_valid_response:
                return None, None   # an answer: the send_*() waiting for it takes it
            item = waiting.queue.popleft()
            waiting.not_full.notify()
            return item

    dimse.get_msg = get_msg


def associate(config: ServerConfig, contexts: Iterable, roles=(), handlers=(),
              cancel: CancelCheck = never_cancelled):
    """An established association with the server, or one :class:`PacsError` line; ``cancel``
    ends the wait for the server's answer within 0.05 s (:class:`Cancelled`, the connection shut)."""
    from pynetdicom import AE

    if not config.has_dimse:
        raise PacsError(f"server {config.name!r} has no host/port for DIMSE (DICOMweb only?)")
    quiet_reactor_errors()   # a message pynetdicom cannot decode: logged, not a traceback printed
    contexts = list(contexts)   # (named again when none is accepted)
    ae = AE(ae_title=config.calling_aet)
    ae.acse_timeout = ae.dimse_timeout = ae.network_timeout = config.timeout
    ae.connection_timeout = min(config.timeout, 10)
    for context in contexts:
        if isinstance(context, tuple):
            ae.add_requested_context(*context)
        else:
            ae.add_requested_context(context)
    from pynetdicom import evt

    first_pdu: list[int] = []

    def received(event) -> None:  # the type of the first PDU the peer sent
        if not first_pdu and event.data:
            first_pdu.append(event.data[0])

    def bounded_reads(event) -> None:
        # pynetdicom clears the socket's timeout once connected and reads a PDU's body blocking:
        # a network that stalls mid-PDU (a cable pulled, a dropped VPN) hung the read, and the
        # abort after the DIMSE timeout waited for it for good. Bounded, the read fails after the
        # timeout, as a closed connection. Only a PDU begun is read blocking, so an idle wait for
        # the server's next answer is not cut short by it.
        sock = getattr(event.assoc.dul.socket, "socket", None)
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.settimeout(config.timeout)
            _note_read_timeouts(event.assoc)

    try:
        with ConnectStop(cancel) as stop:
            assoc = ae.associate(config.host, config.port, ae_title=config.called_aet,
                                 ext_neg=list(roles),
                                 evt_handlers=[*handlers, (evt.EVT_DATA_RECV, received),
                                               (evt.EVT_CONN_OPEN, no_delay),
                                               (evt.EVT_CONN_OPEN, bounded_reads),
                                               (evt.EVT_CONN_OPEN, stop.opened)])
    except socket.gaierror:   # a host name mistyped: it was 'internal error: gaierror'
        raise PacsError(f"no DICOM answer from {where(config)}: {unknown_host(config.host)}") from None
    if stop.cancelled:
        if assoc.is_established:
            assoc.abort()
        raise Cancelled(f"cancelled while asking {where(config)} for an association")
    if assoc.is_established:
        leave_answers_to_sender(assoc)
        return assoc
    refused = (f"refused the association: check the server's AE title and that it knows ours "
               f"({config.calling_aet})")
    if assoc.is_rejected:
        raise PacsError(f"{where(config)} {refused}")
    if assoc.is_aborted and first_pdu and first_pdu[0] in (0x03, 0x07):
        # The server did answer with A-ASSOCIATE-RJ (0x03), but closed the connection at once and
        # pynetdicom, seeing the close first, reports an abort (Orthanc, now and then, for an AE
        # title it does not accept); or it answered with A-ABORT (0x07). Either way: refused.
        raise PacsError(f"{where(config)} {refused}")
    if assoc.is_aborted and first_pdu and first_pdu[0] == 0x02:
        # A-ASSOCIATE-AC accepting none of our presentation contexts: pynetdicom aborts it (a
        # store-only archive asked for a search was 'did not answer as a DICOM server')
        first = contexts[0][0] if isinstance(contexts[0], tuple) else contexts[0]
        raise _not_offered(config, first)
    if assoc.is_aborted and (first_pdu or _listening(config)):
        raise PacsError(f"{where(config)} did not answer as a DICOM server (association aborted; "
                        "is this the DICOM port?)")
    raise PacsError(f"no DICOM answer from {where(config)} (not reachable or nothing listening: "
                    "is the server running?)")


def _note_read_timeouts(assoc) -> None:
    """Remember (:func:`lost`) when a read of the association's socket timed out: pynetdicom
    takes that for a closed connection."""
    transport = assoc.dul.socket
    reading = transport.recv

    def recv(nr_bytes: int):
        try:
            return reading(nr_bytes)
        except TimeoutError:
            _STALLED.add(assoc)
            raise

    transport.recv = recv


def lost(assoc, config: ServerConfig) -> str:
    """How the server was lost in the middle of a DIMSE exchange, for a line after
    :func:`where`: ``stopped answering after N s`` when the server's timeout passed with nothing
    from it (a stalled network, a hung server: the connection still open), ``went away`` when it
    closed the connection or aborted."""
    if assoc in _STALLED:
        return f"stopped answering after {config.timeout:g} s"
    return "went away"


def _not_offered(config: ServerConfig, sop_class) -> PacsError:
    from pydicom.uid import UID

    return PacsError(f"{where(config)} accepted the association but not {UID(str(sop_class)).name}: "
                     f"it does not offer it, or not to our AE title ({config.calling_aet})")


def offered(assoc, config: ServerConfig, wanted: Iterable) -> None:
    """One :class:`PacsError` line (the association released) naming the first of ``wanted``
    (SOP classes) the server accepted no presentation context for: pynetdicom raised ValueError
    when it was used (a C-GET from a store-only archive was 'internal error: ValueError')."""
    accepted = {str(context.abstract_syntax) for context in assoc.accepted_contexts}
    missing = [sop_class for sop_class in wanted if str(sop_class) not in accepted]
    if missing:
        assoc.release()
        raise _not_offered(config, missing[0])


def _listening(config: ServerConfig) -> bool:
    """Whether something accepts a TCP connection at the server's host and port (pynetdicom
    reports a refused connection as an aborted association, like a peer that is no DICOM server)."""
    try:
        with socket.create_connection((config.host, config.port), timeout=min(config.timeout, 3)):
            return True
    except OSError:
        return False


def storage_receiver(config: ServerConfig):
    """Our storage SCP for C-MOVE: it accepts every storage SOP class (a receiver, unlike a C-GET's
    requester, is not bound to 128 presentation contexts). With only the image classes of
    :data:`.contexts.STORAGE_CLASSES`, Test connection failed on a server whose first study is an RT dose:
    Orthanc connected back and could not send it ('connected back ... but sent no image')."""
    from pynetdicom import AE, ALL_TRANSFER_SYNTAXES, AllStoragePresentationContexts

    receiver = AE(ae_title=config.calling_aet)
    receiver.network_timeout = receiver.dimse_timeout = config.timeout
    for context in AllStoragePresentationContexts:
        receiver.add_supported_context(context.abstract_syntax, ALL_TRANSFER_SYNTAXES)
    return receiver


def join_association(assoc, seconds: float, after: str) -> bool:
    """Wait up to ``seconds`` for the association's reader thread (pynetdicom's ``Association``
    is a thread) to end; whether it did. One that runs on is said in one warning line (no
    identifiers: ``after`` says what had ended)."""
    assoc.join(seconds)
    if not assoc.is_alive():
        return True
    log.warning("a DICOM association's thread still runs %g s after %s", seconds, after)
    return False


def wake_after_abort(assoc, seconds: float) -> None:
    """Once an association we aborted has its reactor ended (up to ``seconds``), wake a
    ``send_c_get()``/``send_c_move()``/``send_c_find()`` that waits for its next DIMSE message:
    it then yields no status. pynetdicom (3.0.4) wakes it when the peer aborts, not when we do;
    the reactor, run again by ``abort()``, polls the same queue and would take the wake-up."""
    join_association(assoc, seconds, "it was aborted")
    queue = getattr(getattr(assoc, "dimse", None), "msg_queue", None)
    if queue is not None:  # pynetdicom 2.x/3.x; without it the wait runs to its DIMSE timeout
        queue.put((None, None))


def abort_and_wake(assoc, grace: float) -> None:
    """Abort ``assoc`` from outside its event handlers and wake whoever waits on it
    (:func:`wake_after_abort`); a peer that does not close the connection after our A-ABORT is
    given ``grace`` seconds (the ARTIM timer, else its ACSE timeout)."""
    timer = getattr(getattr(assoc, "dul", None), "artim_timer", None)
    if timer is not None:
        timer.timeout = grace
    assoc.abort()
    wake_after_abort(assoc, 10 * grace)


def status_ok(status) -> bool:
    return bool(status) and "Status" in status
