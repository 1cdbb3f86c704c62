"""Query, retrieve and store on DICOM servers (PACS): DIMSE with pynetdicom, DICOMweb with dicomweb-client.

The entry points pick the protocol from the server's configuration (a host: DIMSE; only a URL:
DICOMweb) unless ``protocol`` says which. Nothing here imports Qt; progress and cancel are plain
callables so the GUI, the CLI and tests drive them alike.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Iterable, Iterator

from ...core.errors import Cancelled
from . import dimse, move_check, web
from .cache import SeriesCache, held_images
from .callbacks import CancelCheck, Progress, never_cancelled, no_progress
from .config import (
    PacsError,
    ServerConfig,
    get_server,
    load_servers,
    remove_server,
    save_server,
)
from .identifiers import image_count
from .query import Matches, each_name, joined, keep, split_query

PROTOCOLS = ("auto", "dimse", "web")


def _protocol(config: ServerConfig, protocol: str) -> str:
    if protocol not in PROTOCOLS:
        raise PacsError(f"protocol {protocol!r} is not one of {', '.join(PROTOCOLS)}")
    if protocol == "auto":
        return "dimse" if config.has_dimse else "web"
    return protocol


def echo(config: ServerConfig, protocol: str = "auto", cancel: CancelCheck = never_cancelled) -> list[str]:
    """Check the connection: C-ECHO and a search that finds nothing for DIMSE (:func:`.dimse.echo`;
    and, for a server retrieved from by C-MOVE, that it sends one of its images back to our AE
    title on ``move_port``), a QIDO-RS search (which also checks the user name and password) for
    DICOMweb. ``auto`` checks every protocol the server is configured with, so a wrong password
    is found even on a server that also has a DIMSE address. Returns what was checked
    (``["DIMSE", "DICOMweb"]``, or ``"DIMSE with C-MOVE to NEUROVIEW on port 11113"``).
    ``cancel`` is looked at between the checks, and ends a DICOMweb one, or the wait for a DIMSE
    association, at once (:class:`Cancelled`)."""
    if protocol == "auto":
        wanted = [p for p, has in (("dimse", config.has_dimse), ("web", config.has_web)) if has]
        wanted = wanted or [_protocol(config, "auto")]
    else:
        wanted = [_protocol(config, protocol)]
    checked = []
    for name in wanted:
        if cancel():
            raise Cancelled("test cancelled")
        if name == "dimse":
            checked.append(dimse.echo(config, cancel))
            if config.move_port > 0:  # retrieval by C-MOVE: the server must send back to us
                try:
                    checked[-1] += f" with {move_check.check_move(config)}"
                except PacsError as exc:
                    raise PacsError(f"C-ECHO ok, but the C-MOVE return path failed: {exc}") from None
        else:
            web.check(config, cancel)
            checked.append("DICOMweb")
    return checked


def find(config: ServerConfig, level: str = "STUDY", protocol: str = "auto", limit: int | None = None,
         cancel: CancelCheck = never_cancelled, **query) -> Matches:
    """Matches of ``query`` (DICOM keywords) at ``level``. Dates may be typed as users write them
    (``2024-01-01 - 2024-12-31``); descriptions match case-insensitively (:mod:`.query`). With
    ``limit``, the server is asked to stop after that many answers (``more`` is then set).
    ``cancel`` ends a DIMSE search within 0.1 s, a server ignoring the C-CANCEL within
    :data:`.find_stop.CANCEL_GRACE` more (:class:`Cancelled`); a DICOMweb one within 0.05 s, its
    request abandoned and its connection closed (:mod:`.web_stop`; it waited for the answer until
    session 44)."""
    with contextlib.closing(find_each(config, level, [query], protocol, cancel, limit)) as answers:
        return next(answers)


def _unless_cancelled(cancel: CancelCheck, found):
    if cancel():
        raise Cancelled("search cancelled")
    return found


def find_each(config: ServerConfig, level: str, queries: Iterable[dict],
              protocol: str = "auto", cancel: CancelCheck = never_cancelled,
              limit: int | None = None) -> Iterator[Matches]:
    """The matches of each of ``queries`` in turn, as :func:`find`; by DIMSE over one association
    (the series of each study a search found: an association each took 4.8 times as long). A name
    asked in several forms (``Doe*``, ``Jane*``: :mod:`.names`) is a search each, joined."""
    dimse_protocol = _protocol(config, protocol) == "dimse"
    prepared = [split_query(query, ascii_only=not dimse_protocol) for query in queries]
    searches = [each_name(server_query) for server_query, _ in prepared]
    if not dimse_protocol:
        for forms, (_query, filters) in zip(searches, prepared):
            yield keep(joined([_unless_cancelled(cancel, web.search(config, level, limit=limit,
                                                                    cancel=cancel, **form))
                               for form in forms], limit), filters)
        return
    answers = dimse.find_each(config, level, [form for forms in searches for form in forms], limit,
                              cancel)
    try:
        for forms, (_query, filters) in zip(searches, prepared):
            yield keep(joined([next(answers) for _form in forms], limit), filters)
    finally:
        answers.close()   # stopped early (a cancelled search): the association is released


def study_of_series(config: ServerConfig, series_uid: str, protocol: str = "auto") -> str:
    """The StudyInstanceUID of the series ``series_uid``, asked of the server by a C-FIND (or
    QIDO-RS search) at SERIES level: a C-GET/C-MOVE or WADO-RS at series level names the study
    too, and some servers refuse it without. Raises :class:`PacsError` naming the server when it
    holds no such series, or lists it in several studies."""
    matches = find(config, "SERIES", protocol, SeriesInstanceUID=series_uid)
    studies = {m.get("StudyInstanceUID", "") for m in matches
               if m.get("SeriesInstanceUID", series_uid) == series_uid} - {""}
    if not studies:
        raise PacsError(f"{config.name} has no series {series_uid}; nothing was retrieved")
    if len(studies) > 1:
        raise PacsError(f"{config.name} lists series {series_uid} in {len(studies)} studies: "
                        "name the study too")
    return studies.pop()


def retrieve(config: ServerConfig, study_uid: str, series_uid: str, cache: SeriesCache,
             protocol: str = "auto", progress: Progress = no_progress,
             cancel: CancelCheck = never_cancelled, images: int | None = None) -> Path:
    """The folder of one series in ``cache``, retrieved when not there (``study_uid`` may be empty:
    asked of the server). A cached copy is used as long as it holds as many images as the server
    lists for the series (``images``, when a search just gave it; else asked with one series
    query, and a server that does not answer leaves the copy in use); a series the server now
    lists with more or fewer images (sent on from the scanner after the first retrieval, or
    deleted on the archive) is retrieved anew. Until session 47 the first copy was opened for good,
    its missing images unsaid."""
    cached = cache.lookup(series_uid)
    if cached is not None:
        listed = (study_uid, images) if images is not None else _listed(config, protocol, study_uid,
                                                                         series_uid, cancel)
        if listed is None or not listed[1] or listed[1] == held_images(cached):
            return cached
        study_uid = study_uid or listed[0]
    study_uid = study_uid or study_of_series(config, series_uid, protocol)
    if _protocol(config, protocol) == "dimse":
        return dimse.get_series(config, study_uid, series_uid, cache, progress, cancel)
    return web.retrieve_series(config, study_uid, series_uid, cache, progress, cancel)


def _listed(config: ServerConfig, protocol: str, study_uid: str, series_uid: str,
            cancel: CancelCheck) -> tuple[str, int] | None:
    """``(StudyInstanceUID, number of images)`` of the series as the server lists it now (0: not
    said); None when it does not answer or lists no such series."""
    query = {"SeriesInstanceUID": series_uid, **({"StudyInstanceUID": study_uid} if study_uid else {})}
    try:
        answers = [answer for answer in find(config, "SERIES", protocol, cancel=cancel, **query)
                   if answer.get("SeriesInstanceUID", series_uid) == series_uid]
    except PacsError:
        return None
    if not answers:
        return None
    return answers[0].get("StudyInstanceUID", ""), image_count(answers[0])


def store(config: ServerConfig, paths: Iterable, protocol: str = "auto",
          progress: Progress = no_progress, cancel: CancelCheck = never_cancelled) -> int:
    if _protocol(config, protocol) == "dimse":
        return dimse.store(config, paths, progress, cancel)
    return web.stow(config, paths, progress, cancel)


__all__ = ["PROTOCOLS", "Matches", "PacsError", "SeriesCache", "ServerConfig", "echo", "find", "find_each",
           "get_server",
           "load_servers", "remove_server", "retrieve", "save_server", "store",
           "study_of_series"]
