"""DIMSE with pynetdicom: C-ECHO, C-FIND (patient/study/series), C-GET into the cache, C-STORE
(the check of the C-MOVE return path is in :mod:`.move_check`).

Every failure becomes one :class:`PacsError` line that names the server and what went wrong (refused
AE title, nothing listening, not a DICOM peer, server gone mid-transfer). Associations, and the
logger that must not print patient names, are :mod:`.association`'s.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path
from typing import Iterable, Iterator

from ...core.errors import Cancelled
from ...core.plural import plural
from . import patient_root
from .association import (
    associate,
    join_association,
    lost,
    no_delay,
    offered,
    status_ok,
    storage_receiver,
    where,
)
from .cache import KeptNothing, SeriesCache, check_uid, kept_for_retry, write_whole
from .cache_room import NoRoomError, RoomCheck
from .callbacks import CancelCheck, Progress, never_cancelled, no_progress
from .config import PacsError, QueryRefused, ServerConfig
from .contexts import COMPRESSED_CLASSES, COMPRESSED_SYNTAXES, STORAGE_CLASSES
from .find_stop import FindStop
from .identifiers import LEVEL_KEYS, as_dict, image_count, query_identifier
from .identity import IDENTITY_TAGS, StudyIdentity, hint_for
from .payload import SERIES_TAGS, ReceiveBound, foreign, instance_limit, read_instance
from .query import Matches
from .resume import verified


def echo(config: ServerConfig, cancel: CancelCheck = never_cancelled) -> str:
    """C-ECHO, then a C-FIND at STUDY level for a study that cannot exist (a new UID), on the same
    association; raises :class:`PacsError` unless the server answers both (``cancel``: while the
    association is asked for and during the search). What was checked: ``"DIMSE"``, or, when the
    server accepts no search from us, ``"DIMSE, store only: ..."``; one that offers Patient Root
    query/retrieve and no Study Root, ``"DIMSE, Patient Root query/retrieve"`` (:mod:`.patient_root`;
    said store-only until session 45). Orthanc answers the echo of an AE title it does not know as
    a modality and aborts its first query: that passed as ``connection ok`` until session 44, and
    the first search said it."""
    from pydicom.uid import generate_uid
    from pynetdicom.sop_class import (
        PatientRootQueryRetrieveInformationModelFind,
        StudyRootQueryRetrieveInformationModelFind,
        Verification,
    )

    models = [StudyRootQueryRetrieveInformationModelFind, PatientRootQueryRetrieveInformationModelFind]
    assoc = associate(config, [Verification, *models], cancel=cancel)
    running = False
    try:
        offered(assoc, config, [Verification])
        status = assoc.send_c_echo()
        if not status or status.get("Status") != 0x0000:
            raise PacsError(f"{where(config)} did not confirm the echo")
        model = patient_root.accepted(assoc, models)
        if model is None:
            return f"DIMSE, store only: it offers no search to our AE title {config.calling_aet}"
        by_patient = model == PatientRootQueryRetrieveInformationModelFind
        stop, running = FindStop(assoc, model, 1, cancel), True
        try:   # a study (Patient Root: a patient) that cannot exist
            _answers(assoc, model, query_identifier("PATIENT", {"PatientID": generate_uid()}) if by_patient
                     else query_identifier("STUDY", {"StudyInstanceUID": generate_uid()}),
                     Matches(), None, stop, config)
            running = False
        except PacsError as exc:
            if stop.cancelled:
                raise Cancelled("test cancelled") from None
            if isinstance(exc, _Unanswered):
                raise PacsError(f"{where(config)} accepts echo but refuses queries from AE title "
                                f"{config.calling_aet}: add it as a modality on the server") from None
            raise PacsError(f"C-ECHO ok, but a test search failed: {exc}") from None
        finally:
            stop.finish()
        if stop.cancelled:
            raise Cancelled("test cancelled")
        return "DIMSE, Patient Root query/retrieve" if by_patient else "DIMSE"
    finally:
        _end(assoc, running)


def find(config: ServerConfig, level: str = "STUDY", limit: int | None = None,
         cancel: CancelCheck = never_cancelled, **query) -> Matches:
    """C-FIND at PATIENT, STUDY or SERIES level; ``query`` uses DICOM keywords (``PatientName="DOE*"``,
    ``StudyDate="20240101-20241231"``, ``StudyInstanceUID=...`` for the series of one study). After
    ``limit`` matches the server is sent a C-CANCEL, later matches are left out, ``more`` is set.
    ``cancel`` (checked every 0.1 s) ends it with :class:`Cancelled`; a server that ignores the
    C-CANCEL has :data:`.find_stop.CANCEL_GRACE` seconds before the association is aborted."""
    with contextlib.closing(find_each(config, level, [query], limit, cancel)) as answers:
        return next(answers)


def find_each(config: ServerConfig, level: str, queries: Iterable[dict],
              limit: int | None = None, cancel: CancelCheck = never_cancelled) -> Iterator[Matches]:
    """The matches of each of ``queries`` in turn (as :func:`find`), over one association: the
    series of 200 studies took 0.8 s from a local Orthanc where an association each took 3.7 s.
    Closing the generator early releases the association (aborts it in the middle of a C-FIND)."""
    from pynetdicom.sop_class import (
        PatientRootQueryRetrieveInformationModelFind,
        StudyRootQueryRetrieveInformationModelFind,
    )

    level = level.upper()
    if level not in LEVEL_KEYS:
        raise PacsError(f"query level {level!r} is not one of {', '.join(LEVEL_KEYS)}")
    models = [PatientRootQueryRetrieveInformationModelFind] if level == "PATIENT" else [
        StudyRootQueryRetrieveInformationModelFind, PatientRootQueryRetrieveInformationModelFind]
    assoc = associate(config, models, cancel=cancel)
    model = patient_root.accepted(assoc, models)
    if model is None:
        offered(assoc, config, models[:1])
    running = False   # a C-FIND in progress: a release would wait for its end
    made = 0

    def run(at: str, query: dict, most: int | None) -> Matches:
        nonlocal running, made
        if cancel():
            raise Cancelled("search cancelled")
        if not assoc.is_established:   # aborted: the server ignored a C-CANCEL at a limit
            raise PacsError(f"{where(config)} ignored a C-CANCEL; the search was stopped")
        matches, running, made = Matches(), True, made + 1
        stop = FindStop(assoc, model, 1, cancel)
        try:
            _answers(assoc, model, query_identifier(at, query), matches, most, stop, config,
                     first=made == 1)
            running = False   # its final status came, or the association is gone
        finally:
            stop.finish()
        if stop.cancelled:
            raise Cancelled("search cancelled")
        return matches

    by_patient = level != "PATIENT" and model == PatientRootQueryRetrieveInformationModelFind
    try:
        for query in queries:
            matches = (patient_root.find(run, level, query, limit, config) if by_patient
                       else run(level, query, limit))
            if level == "STUDY":
                patient_root.remember(config, matches)
            yield matches
    finally:
        _end(assoc, running)


def _end(assoc, running: bool) -> None:
    """The association's end: aborted while a C-FIND runs (a release would wait for its end),
    else released."""
    if assoc.is_established:
        if running:
            assoc.abort()
        else:
            assoc.release()


def _answers(assoc, model, identifier, matches: Matches, limit: int | None, stop: FindStop,
             config: ServerConfig, first: bool = True) -> None:
    """Collect one C-FIND's matches into ``matches`` until its final status, or until ``stop``
    aborted the association (a C-CANCEL the server ignored)."""
    for status, answer in assoc.send_c_find(identifier, model, msg_id=1):
        if stop.aborted:
            return
        if not status_ok(status):
            raise _lost_in_query(assoc, config, first and not matches)
        code = status.Status
        stopping = matches.more or stop.cancelled
        if code in (0xFF00, 0xFF01) and answer is not None:
            if stopping:
                continue  # sent before the server read our C-CANCEL
            if limit is not None and len(matches) >= limit:
                matches.more = True
                stop.send_cancel()
                continue
            matches.append(as_dict(answer))
        elif code != 0x0000 and not (code == 0xFE00 and stopping):
            raise QueryRefused(f"{where(config)} refused the query (status 0x{code:04X})")


class _Unanswered(PacsError):
    """A server that ended the association at our first query, before any answer."""


def _lost_in_query(assoc, config: ServerConfig, unanswered: bool) -> PacsError:
    """The line for a C-FIND that ended without its final status. A server that ends the
    association at our first query, before any answer, is asked about our AE title: Orthanc does
    so with a calling AE title it does not know as a modality (its C-ECHO passes). That was 'went
    away during the query', and a retrieval's 'internal error: RuntimeError' after 30 s."""
    how = lost(assoc, config)
    if how == "went away" and unanswered:
        return _Unanswered(f"{where(config)} ended the association at our query, before any answer: "
                         f"check that it knows our AE title ({config.calling_aet}) and lets it query")
    return PacsError(f"{where(config)} {how} during the query")


def get_series(config: ServerConfig, study_uid: str, series_uid: str, cache: SeriesCache,
               progress: Progress = no_progress, cancel: CancelCheck = never_cancelled) -> Path:
    """C-GET one series into ``cache`` (C-MOVE when ``config.move_port`` is set); returns its
    folder (:func:`neuroview.io.pacs.retrieve` uses a cached copy instead when it is current)."""
    from pynetdicom import ALL_TRANSFER_SYNTAXES, _config, build_role, evt, sop_class

    # every C-STORE received goes to a temporary file fragment by fragment instead of memory
    # (pynetdicom's documented switch), so an instance bigger than the memory left is refused
    # from the disk rather than held; the process's only pynetdicom user is this package.
    # The underscore is pynetdicom's name for its public configuration module: its reference,
    # "Configuration Options (pynetdicom._config)", sets options this way, and no other name
    # exists (pynetdicom 3.0.4)
    _config.STORE_RECV_CHUNKED_DATASET = True
    study_uid = check_uid(study_uid, "StudyInstanceUID")
    series_uid = check_uid(series_uid, "SeriesInstanceUID")
    move = config.move_port > 0
    get_model = (sop_class.StudyRootQueryRetrieveInformationModelMove if move
                 else sop_class.StudyRootQueryRetrieveInformationModelGet)
    find_model = sop_class.StudyRootQueryRetrieveInformationModelFind
    # a server with Patient Root only (:mod:`.patient_root`): its models, the PatientID named
    by_patient = (sop_class.PatientRootQueryRetrieveInformationModelMove if move
                  else sop_class.PatientRootQueryRetrieveInformationModelGet,
                  sop_class.PatientRootQueryRetrieveInformationModelFind)
    storage = [getattr(sop_class, name) for name in STORAGE_CLASSES]
    state = {"done": 0, "total": 0, "cancelled": False, "folder": None, "error": "", "no_room": None,
             "foreign": ""}
    room = RoomCheck(cache, 0)   # its total once the C-FIND has counted the images
    bound = ReceiveBound(instance_limit())  # an oversized C-STORE is cut short as it arrives
    identity = StudyIdentity()   # the study's patient, as its C-FIND answers: each image is checked

    def on_store(event):
        received = event.dataset_path  # written there by pynetdicom as the fragments arrived
        try:
            if cancel():
                state["cancelled"] = True
            if state["cancelled"] or state["no_room"]:
                return 0xA700  # out of resources: the server stops sending
            uid = check_uid(event.request.AffectedSOPInstanceUID, "SOPInstanceUID")
            # too big, or a deflate bomb: never cached; nor an image of another series
            try:
                header = read_instance(received, f"instance {uid}", stop_before_pixels=True,
                                       specific_tags=[*SERIES_TAGS, *IDENTITY_TAGS,
                                                      "SpecificCharacterSet"])
            except PacsError:
                raise
            except Exception as exc:  # noqa: BLE001 - pydicom's many ways of saying "not DICOM"
                raise PacsError(f"instance {uid}: not a readable DICOM instance "
                                f"({type(exc).__name__})") from None
            wrong = foreign(header, study_uid, series_uid, uid, identity)
            if wrong:
                state["foreign"] = state["foreign"] or wrong
                return 0xA700
            write_whole(state["folder"] / f"{uid}.dcm", lambda part: shutil.move(received, part))
            room.arrived(state["folder"] / f"{uid}.dcm")
        except NoRoomError as exc:
            state["no_room"] = exc
            return 0xA700
        except (OSError, PacsError) as exc:
            state["no_room"] = room.full(exc) if isinstance(exc, OSError) else None
            state["error"] = str(exc)
            return 0xA700
        finally:
            with contextlib.suppress(OSError):
                received.unlink(missing_ok=True)  # pynetdicom leaves it to the handler in a C-GET
        state["done"] += 1
        progress(state["done"], max(state["total"], state["done"]), "retrieving")
        return 0x0000

    handlers = [(evt.EVT_C_STORE, on_store), (evt.EVT_PDU_RECV, bound.on_pdu)]
    if move:  # the server opens its own association back to our storage SCP on move_port
        contexts, roles = [get_model, find_model, *by_patient], []
        receiver = storage_receiver(config)
    else:  # C-GET: the images come back on our own association
        contexts = [get_model, find_model, *by_patient]
        contexts += [(cls, ALL_TRANSFER_SYNTAXES) for cls in storage]
        contexts += [(getattr(sop_class, name), [syntax]) for name in COMPRESSED_CLASSES
                     for syntax in COMPRESSED_SYNTAXES]
        roles = [build_role(cls, scp_role=True) for cls in storage]
    with cache.incoming(series_uid) as folder:
        state["folder"] = folder
        scp = None
        if move:
            try:
                scp = receiver.start_server(("", config.move_port), block=False,
                                            evt_handlers=[*handlers, (evt.EVT_CONN_OPEN, no_delay)])
            except OSError as exc:
                raise PacsError(f"cannot listen on port {config.move_port} for C-MOVE "
                                f"({exc.strerror or exc}); is another program using it?") from None
        try:
            assoc = associate(config, contexts, roles, [] if move else handlers, cancel)
        except BaseException:
            if scp is not None:
                scp.shutdown()
            raise
        try:
            if patient_root.accepted(assoc, [get_model, by_patient[0]]) == by_patient[0]:
                get_model, find_model = by_patient
            offered(assoc, config, [get_model, find_model])
            keys: dict | None = {}   # a Patient Root server's: the PatientID (None: no such study)
            if find_model == by_patient[1]:
                patient = patient_root.patient_of(lambda _level, query, _most: _study_answers(
                    assoc, find_model, query["StudyInstanceUID"], config, strict=True), config, study_uid)
                keys = {"PatientID": patient} if patient else None
            count = (None if keys is None
                     else _series_count(assoc, find_model, study_uid, series_uid, config, keys))
            if count is None:  # (a C-GET of it: Orthanc answers 0xC000, which told nothing)
                raise PacsError(f"{where(config)} has no such series in that study (its C-FIND "
                                "finds none); nothing was retrieved")
            state["total"] = room.total = count
            doubt = identity.answered(_study_answers(assoc, find_model, study_uid, config, keys),
                                      study_uid)
            if doubt:
                raise PacsError(f"{where(config)}: series {series_uid} not retrieved: {doubt}")
            queries = [query_identifier("SERIES", {**keys, "StudyInstanceUID": study_uid,
                                                   "SeriesInstanceUID": series_uid})]
            by_instance = False   # the images asked for by their SOPInstanceUIDs (a retry)
            if any(folder.glob("*.dcm")):   # kept by an earlier try: only the others are asked for
                missing = _missing(assoc, find_model, folder, study_uid, series_uid, config, keys,
                                   identity, state, progress, cancel)
                queries = queries if missing is None else missing
                by_instance = missing is not None
                room.total = count - state["done"]
                progress(state["done"], max(count, state["done"]), "retrieving")
            final = _all_kept() if not queries else None
            for query in queries:
                final = None
                responses = (assoc.send_c_move(query, config.calling_aet, get_model) if move
                             else assoc.send_c_get(query, get_model))
                for status, _identifier_ds in responses:
                    if state["cancelled"] or cancel():
                        assoc.abort()
                        raise Cancelled(f"retrieval cancelled; {kept_for_retry(state['done'])}")
                    if state["no_room"]:
                        assoc.abort()
                        raise state["no_room"]
                    if not status_ok(status):
                        final = None
                        break
                    final = status
                    if status.Status not in (0xFF00, 0xFF01):
                        break
                if final is None or final.Status not in (0x0000, 0xB000):
                    break
        except KeyboardInterrupt:   # Ctrl+C mid-transfer: aborted, where a release waited 30 s for
            if assoc.is_established:   # the server's answer behind the images still coming
                assoc.abort()
            raise
        finally:
            if assoc.is_established:
                assoc.release()
            if scp is not None:
                scp.shutdown()
            # its reader thread done with the partial file (or said in a line)
            join_association(assoc, config.timeout, "the retrieval ended")
            bound.remove_partial()
        if bound.exceeded:
            raise bound.error(where(config))
        if state["cancelled"]:
            raise Cancelled(f"retrieval cancelled; {kept_for_retry(state['done'])}")
        if state["no_room"]:
            raise state["no_room"]
        received = state["done"]
        if state["foreign"]:
            raise KeptNothing(f"{where(config)} sent images of {state['foreign']} for series "
                              f"{series_uid}; they were refused and nothing was kept",
                              hint=hint_for(state["foreign"]))
        if final is None:
            expected = plural(count, "image") if count else "? images"
            raise PacsError(f"{where(config)} {lost(assoc, config)} during the transfer ({received} of "
                            f"{expected} received); {kept_for_retry(received)}"
                            f"{'' if received else ', try again'}")
        failed = int(final.get("NumberOfFailedSuboperations", 0) or 0)
        if state["error"] or final.Status not in (0x0000, 0xB000) or failed:
            if by_instance and not state["error"]:   # a server that takes no list of images: the
                raise KeptNothing(                   # next try, with nothing kept, asks for the series
                    f"{where(config)} did not send the images missing from an earlier try, asked "
                    f"for by their SOPInstanceUIDs (status 0x{final.Status:04X}); nothing was kept, "
                    "try again: the series is asked for whole")
            why = f": {state['error']}" if state["error"] else ""
            raise PacsError(f"{where(config)} could not send the whole series ({received} received, "
                            f"{failed} failed, status 0x{final.Status:04X}){why}")
        if received == 0 and count:  # it said it has them: "has no image" misled
            hint = (f" (does it send to our AE title {config.calling_aet} on port {config.move_port}? "
                    "Test connection checks)" if move else "")
            raise KeptNothing(f"{where(config)} reported the retrieval done but sent none of the "
                              f"{plural(count, 'image')} its C-FIND counts{hint}; nothing was kept, "
                              "try again")
        if received == 0:
            raise PacsError(f"{where(config)} has no image of that series")
        if count and received < count:
            raise KeptNothing(f"{where(config)} sent {received} of {plural(count, 'image')}; "
                              "nothing was kept")
    return cache.path(series_uid)


BATCH = 100
"""SOPInstanceUIDs asked for in one image-level C-GET or C-MOVE (a UI value holds at most 64 kB)."""


def _missing(assoc, find_model, folder: Path, study_uid: str, series_uid: str, config: ServerConfig,
             keys: dict, identity: StudyIdentity, state: dict, progress: Progress,
             cancel: CancelCheck) -> list | None:
    """The image-level C-GET (C-MOVE) queries, :data:`BATCH` UIDs each, of the images the server
    lists for the series that ``folder`` does not hold whole (:func:`.resume.verified`: the
    others are deleted); ``state["done"]`` counts those held. None when the server lists no image
    by C-FIND (the series is retrieved whole)."""
    from pydicom.dataset import Dataset

    listed = []
    asked = Dataset()
    asked.update({**keys, "QueryRetrieveLevel": "IMAGE", "StudyInstanceUID": study_uid,
                  "SeriesInstanceUID": series_uid, "SOPInstanceUID": ""})
    for status, identifier in assoc.send_c_find(asked, find_model):
        if not status_ok(status):
            raise _lost_in_query(assoc, config, False)
        if status.Status in (0xFF00, 0xFF01) and identifier is not None:
            listed.append(check_uid(identifier.get("SOPInstanceUID", ""), "SOPInstanceUID"))
    held = verified(folder, study_uid, series_uid, set(listed), identity, progress, cancel)
    state["done"] = len(held)
    if not listed:
        return None
    missing = [uid for uid in listed if uid not in held]
    queries = []
    for start in range(0, len(missing), BATCH):
        query = Dataset()
        query.update({**keys, "QueryRetrieveLevel": "IMAGE", "StudyInstanceUID": study_uid,
                      "SeriesInstanceUID": series_uid, "SOPInstanceUID": missing[start:start + BATCH]})
        queries.append(query)
    return queries


def _all_kept():
    """The final status of a retrieval that needed no transfer: every image kept from before."""
    from pydicom.dataset import Dataset

    done = Dataset()
    done.Status = 0x0000
    return done


def _series_count(assoc, find_model, study_uid: str, series_uid: str, config: ServerConfig,
                  keys: dict) -> int | None:
    """The number of images of the series by C-FIND (0: not said); None when the server answered
    the query in full and found no such series. The association lost: one line. ``keys``: more
    keys of the query (a Patient Root server's PatientID)."""
    query = query_identifier("SERIES", {**keys, "StudyInstanceUID": study_uid,
                                        "SeriesInstanceUID": series_uid})
    count, matched, final = 0, False, None
    for status, identifier in assoc.send_c_find(query, find_model):
        if not status_ok(status):
            raise _lost_in_query(assoc, config, not matched)
        if status.Status in (0xFF00, 0xFF01) and identifier is not None:
            matched = True
            try:   # a count that is no number ("many", a NaN written as IS) counts as none said
                count = image_count({"NumberOfSeriesRelatedInstances": identifier.get(
                    "NumberOfSeriesRelatedInstances", "")})
            except (ValueError, TypeError, OverflowError):   # pydicom's, converting it
                count = 0
        else:
            final = status.Status
    return None if not matched and final == 0x0000 else count


def _study_answers(assoc, find_model, study_uid: str, config: ServerConfig, keys=None,
                   strict: bool = False) -> list[dict]:
    """The server's STUDY-level C-FIND answers for ``study_uid`` (whose patient it is); ``keys``:
    more keys of the query (a Patient Root server's PatientID); ``strict``: a refused query is a
    :class:`PacsError` (else no answer)."""
    answers = []
    for status, identifier in assoc.send_c_find(
            query_identifier("STUDY", {**(keys or {}), "StudyInstanceUID": study_uid}), find_model):
        if not status_ok(status):   # the association lost (the C-GET raised RuntimeError)
            raise _lost_in_query(assoc, config, False)
        if status.Status in (0xFF00, 0xFF01) and identifier is not None:
            answers.append(as_dict(identifier))
        elif strict and status.Status not in (0x0000, 0xFF00, 0xFF01):
            raise QueryRefused(f"{where(config)} refused the query (status 0x{status.Status:04X})")
    return answers


def dicom_files(paths: Iterable[str | os.PathLike]) -> list[Path]:
    """The files under ``paths`` (files or folders), hidden ones left out."""
    files: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            files.extend(sorted(f for f in path.rglob("*") if f.is_file() and not f.name.startswith(".")))
        elif path.is_file():
            files.append(path)
        else:
            raise PacsError("no such file or folder", path=path)
    return files


def dicom_datasets(paths: Iterable[str | os.PathLike], **dcmread_options) -> list[tuple[Path, object]]:
    """``(file, dataset)`` of every DICOM file under ``paths`` to send, read through
    :func:`.payload.read_instance` (``dcmread_options`` go to pydicom); other files are skipped, a
    file too big to read is one :class:`PacsError`, and so is finding no DICOM file at all. A
    DICOMDIR (the index of a CD or USB export) is no instance: skipped too (sent, it was 'internal
    error: AttributeError: ... no attribute SOPClassUID' by C-STORE and HTTP 400 by STOW-RS)."""
    found = []
    for file in dicom_files(paths):
        try:
            ds = read_instance(file, str(file), **dcmread_options)
        except PacsError:
            raise  # too big to send from here: said, not skipped
        except Exception:  # not DICOM: not ours to send
            continue
        if "SOPClassUID" in ds and "SOPInstanceUID" in ds and "DirectoryRecordSequence" not in ds:
            found.append((file, ds))
    if not found:
        raise PacsError("no DICOM file to send")
    return found


def store(config: ServerConfig, paths: Iterable[str | os.PathLike], progress: Progress = no_progress,
          cancel: CancelCheck = never_cancelled) -> int:
    """C-STORE every DICOM file under ``paths``; returns how many the server accepted."""
    from pydicom.uid import ExplicitVRLittleEndian, ImplicitVRLittleEndian

    headers = [(file, str(ds.SOPClassUID), str(ds.file_meta.TransferSyntaxUID))
               for file, ds in dicom_datasets(paths, stop_before_pixels=True)]
    syntaxes: dict[str, set] = {}
    for _file, sop, ts in headers:
        syntaxes.setdefault(sop, {ExplicitVRLittleEndian, ImplicitVRLittleEndian}).add(ts)
    plain = {ExplicitVRLittleEndian, ImplicitVRLittleEndian}
    # a server accepts one transfer syntax per presentation context: the uncompressed ones in one
    # context (pynetdicom converts between them), each other one (JPEG, JPEG 2000, RLE...) in its
    # own, or a compressed file found no context for its syntax (pynetdicom's ValueError)
    contexts = [(sop, [ts]) for sop, found in syntaxes.items() for ts in sorted(found - plain)]
    contexts += [(sop, sorted(plain)) for sop in syntaxes]
    if len(contexts) > 120:
        raise PacsError("more than 120 kinds of DICOM object and transfer syntax in one send; "
                        "send them in parts")
    assoc = associate(config, contexts, cancel=cancel)
    sent = 0
    try:
        for index, (file, _sop, _ts) in enumerate(headers, start=1):
            if cancel():
                raise Cancelled(f"sending cancelled after {sent} of {plural(len(headers), 'file')}")
            dataset = read_instance(file, str(file))
            try:
                status = assoc.send_c_store(dataset)
            except ValueError:  # no accepted context for its class and transfer syntax
                raise PacsError(f"{where(config)} does not accept {file.name} as it is encoded "
                                f"({dataset.file_meta.TransferSyntaxUID.name}); {sent} of "
                                f"{plural(len(headers), 'file')} stored") from None
            if not status_ok(status):
                raise PacsError(f"{where(config)} {lost(assoc, config)} while receiving ({sent} of "
                                f"{plural(len(headers), 'file')} stored)")
            if status.Status not in (0x0000, 0xB000, 0xB007, 0xB006):
                raise PacsError(f"{where(config)} refused {file.name} (status 0x{status.Status:04X})")
            sent += 1
            progress(index, len(headers), "sending")
    finally:
        if assoc.is_established:
            assoc.release()
    return sent
