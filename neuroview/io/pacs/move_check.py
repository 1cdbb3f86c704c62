"""The check of a server's C-MOVE return path (Test connection, ``pacs.echo``): the server is
asked to send one of its images to our AE title, and our storage SCP listens for it."""

from __future__ import annotations

from .association import associate, no_delay, offered, status_ok, storage_receiver, where
from .config import PacsError, ServerConfig
from .find_stop import FindStop
from .identifiers import LEVEL_KEYS, query_identifier
from .patient_root import accepted


def _one_image(assoc, find_model, by_patient: bool) -> dict | None:
    """UIDs of one image on the server (the first study's first series that has images), or None;
    ``by_patient``: a Patient Root server's, with its PatientID, found from the first patients."""
    def first(level: str, **query) -> list:
        ds = query_identifier(level, query) if level in LEVEL_KEYS else None
        if ds is None:  # IMAGE level: only the instance UID is asked for
            from pydicom.dataset import Dataset

            ds = Dataset()
            ds.QueryRetrieveLevel = level
            ds.SOPInstanceUID = ""
            for keyword, value in query.items():
                setattr(ds, keyword, value)
        if not assoc.is_established:   # aborted: the server ignored our C-CANCEL
            raise PacsError("the server went on answering a C-FIND after its C-CANCEL")
        found, stop = [], FindStop(assoc, find_model, 7)
        try:
            for status, identifier in assoc.send_c_find(ds, find_model, msg_id=7):
                if stop.aborted:
                    break
                if status_ok(status) and status.Status in (0xFF00, 0xFF01) and identifier is not None:
                    found.append(identifier)
                    if len(found) == 3:  # enough: a hospital PACS may list millions
                        stop.send_cancel()
        finally:
            stop.finish()
        return found[:3]

    patients = ([{"PatientID": str(p.get("PatientID", ""))} for p in first("PATIENT")] if by_patient
                else [{}])
    for patient in patients:
        for study in first("STUDY", **patient):
            study_uid = str(study.get("StudyInstanceUID", ""))
            for series in first("SERIES", **patient, StudyInstanceUID=study_uid):
                series_uid = str(series.get("SeriesInstanceUID", ""))
                images = first("IMAGE", **patient, StudyInstanceUID=study_uid, SeriesInstanceUID=series_uid)
                if images:
                    return {**patient, "StudyInstanceUID": study_uid, "SeriesInstanceUID": series_uid,
                            "SOPInstanceUID": str(images[0].SOPInstanceUID)}
    return None


def check_move(config: ServerConfig) -> str:
    """Check the C-MOVE return path: ask the server to send one of its images to our AE title and
    listen for it on ``config.move_port`` (the image is not kept). Raises :class:`PacsError`
    saying which part failed; returns what was checked, or why it could not be (no image)."""
    from pynetdicom import evt, sop_class

    move_model = sop_class.StudyRootQueryRetrieveInformationModelMove
    find_model = sop_class.StudyRootQueryRetrieveInformationModelFind
    by_patient = (sop_class.PatientRootQueryRetrieveInformationModelMove,   # :mod:`.patient_root`
                  sop_class.PatientRootQueryRetrieveInformationModelFind)
    port, ours = config.move_port, config.calling_aet
    fix = (f"check that the server knows our AE title {ours} as a move destination at this "
           f"machine's address and port {port}, and that no firewall blocks that port")
    seen = {"connected": 0, "images": 0}

    def connected(_event) -> None:
        seen["connected"] += 1

    def stored(_event) -> int:  # received, not kept: this is only a check
        seen["images"] += 1
        return 0x0000

    receiver = storage_receiver(config)
    try:
        scp = receiver.start_server(("", port), block=False, evt_handlers=[
            (evt.EVT_C_STORE, stored), (evt.EVT_ACCEPTED, connected), (evt.EVT_CONN_OPEN, no_delay)])
    except OSError as exc:
        raise PacsError(f"cannot listen on port {port} for C-MOVE ({exc.strerror or exc}); is "
                        "another program using it?") from None
    try:
        assoc = associate(config, [move_model, find_model, *by_patient])
        try:
            if accepted(assoc, [move_model, by_patient[0]]) == by_patient[0]:
                move_model, find_model = by_patient
            offered(assoc, config, [move_model, find_model])
            image = _one_image(assoc, find_model, move_model == by_patient[0])
            if image is None:
                return "C-MOVE not checked: the server has no image to send"
            if not assoc.is_established:   # the last C-FIND outlived its C-CANCEL's grace (a
                # busy server): aborted, so the C-MOVE goes on an association of its own (it
                # raised "must be established" as an internal error: session 51's suite at load 20)
                assoc = associate(config, [move_model])
                offered(assoc, config, [move_model])
            query = query_identifier("SERIES", {})
            query.QueryRetrieveLevel = "IMAGE"
            for keyword, value in image.items():
                setattr(query, keyword, value)
            final = None
            for status, _ds in assoc.send_c_move(query, ours, move_model):
                final = status if status_ok(status) else None
                if final is None or status.Status not in (0xFF00, 0xFF01):
                    break
        finally:
            if assoc.is_established:
                assoc.release()
    finally:
        scp.shutdown()
    if seen["images"]:
        return f"C-MOVE to {ours} on port {port}"
    if final is None:
        raise PacsError(f"{where(config)} refused the C-MOVE request of {ours} (it may only allow "
                        "C-GET, or not know our AE title)")
    if final.Status == 0xA801:
        raise PacsError(f"{where(config)} does not know our AE title {ours} as a C-MOVE "
                        f"destination; {fix}")
    if not seen["connected"]:
        raise PacsError(f"{where(config)} accepted the C-MOVE request but did not connect back to "
                        f"{ours} on port {port} (status 0x{final.Status:04X}); {fix}")
    raise PacsError(f"{where(config)} connected back to {ours} on port {port} but sent no image "
                    f"(status 0x{final.Status:04X})")
