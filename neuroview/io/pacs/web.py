"""DICOMweb with dicomweb-client: QIDO-RS (search), WADO-RS (retrieve into the cache), STOW-RS (store).

HTTP basic authentication from the server's credentials; every failure becomes one
:class:`PacsError` line (refused credentials, no answer, not a DICOMweb answer) without the password.
"""

from __future__ import annotations

import json
import logging
import os
import socket
from pathlib import Path
from typing import Iterable
from urllib.parse import urljoin, urlsplit, urlunsplit

from ...core.errors import Cancelled
from ...core.memory import format_bytes
from ...core.plural import plural
from .association import unknown_host
from .cache import KeptNothing, SeriesCache, check_uid, kept_for_retry, write_whole
from .cache_room import RoomCheck
from .callbacks import CancelCheck, Progress, never_cancelled, no_progress
from .config import PacsError, ServerConfig, public_url
from .dimse import dicom_datasets
from .identifiers import LEVEL_KEYS, as_dict
from .identity import StudyIdentity, hint_for
from .payload import foreign, instance_limit, read_instance
from .query import Matches, web_value
from .resume import verified
from .web_stop import WebStop, tracking_adapter

for _name in ("dicomweb_client", "urllib3.connectionpool"):
    logging.getLogger(_name).setLevel(logging.WARNING)
"""dicomweb-client and urllib3 log request URLs, with UIDs and search filters such as a patient's
name, at INFO/DEBUG: held at WARNING, like pynetdicom."""

STOW_BATCH = 16
"""Instances per STOW-RS request (progress moves between requests)."""
CHUNK = 1 << 20
"""A WADO-RS answer is read 1 MiB at a time, counted against :func:`.payload.instance_limit`."""
ACCEPT_DICOM = 'multipart/related; type="application/dicom"; transfer-syntax=*'
"""Instances as the server keeps them (``*``): without it WADO-RS asks for Explicit VR Little
Endian, which a server that cannot decode a JPEG 2000 instance answers with HTTP 500 (Orthanc 1.10)."""


def _where(config: ServerConfig) -> str:
    return f"{config.name} ({public_url(config.url)})"


class Redirected(Exception):
    """A server's redirect to another address (scheme, host or port), not followed: the answer
    would be another server's (its HTTP 403 was said as the entered server refusing the
    credentials), and that server is not the one the user entered."""

    def __init__(self, location: str):
        super().__init__(location)
        self.location = location


def _session(config: ServerConfig, stop: WebStop | None = None):
    """The HTTP session (credentials, literal wildcards) of the DICOMweb calls to ``config``;
    ``stop`` closes its connections on a cancel (:mod:`.web_stop`)."""
    import requests

    if not config.has_web:
        raise PacsError(f"server {config.name!r} has no DICOMweb URL")

    class Session(requests.Session):
        """Keeps QIDO wildcards literal: Orthanc (1.10) takes ``Doe%2A`` for the text ``Doe*``.
        A server that let a request time out is not asked again by this session (dicomweb-client
        retries every failure: a stalled server took twice its timeout)."""

        timed_out: requests.Timeout | None = None

        def send(self, request, **kwargs):
            if self.timed_out is not None:
                raise self.timed_out
            if stop is not None:   # cancelled: not sent (dicomweb-client retries a failure)
                stop.check()
            try:
                return super().send(request, **kwargs)
            except requests.Timeout as exc:
                self.timed_out = exc
                raise

        def get_redirect_target(self, response):
            target = super().get_redirect_target(response)
            if target is not None:
                there = urlsplit(urljoin(response.url, target))
                here = urlsplit(response.url)
                if (there.scheme, there.netloc) != (here.scheme, here.netloc):
                    # said without its query, which may hold the search's patient name
                    raise Redirected(urlunsplit((there.scheme, there.netloc, there.path, "", "")))
            return target

        def prepare_request(self, request):
            prepared = super().prepare_request(request)
            base, _, query = prepared.url.partition("?")
            if query:
                prepared.url = base + "?" + query.replace("%2A", "*").replace("%3F", "?")
            return prepared

    session = Session()
    if stop is not None:
        adapter = tracking_adapter(stop)
        session.mount("http://", adapter)
        session.mount("https://", adapter)
    if config.username or config.password:
        session.auth = (config.username, config.password)
    return session


def _client(config: ServerConfig, session=None):
    from dicomweb_client.api import DICOMwebClient

    session = session if session is not None else _session(config)
    # the server's timeout for every request (dicomweb-client's own is a fixed 20 s)
    client = DICOMwebClient(url=config.url.rstrip("/"), session=session, timeout=config.timeout)
    # dicomweb-client retries every failure 5 times over 30 s by default; a user waiting on a
    # dialog is better served by one quick retry and a clear "try again"
    client.set_http_retry_params(retry=True, max_attempts=2, wait_exponential_multiplier=250)
    return client


def _call(config: ServerConfig, what: str, function, *args, stop: WebStop | None = None,
          so_far=None, **kwargs):
    """Run one dicomweb-client call, turning its many exceptions into one clear line; through
    ``stop`` (a cancel ends the wait at once) when given. ``so_far()``, for a transfer under way,
    ends the line when the server is lost, saying how far it got (`` (20 of 160 images received);
    nothing was kept, try again``)."""
    import requests

    try:
        if stop is not None:
            return stop.run(function, *args, **kwargs)
        return function(*args, **kwargs)
    except (Cancelled, PacsError):
        raise
    except Redirected as exc:
        raise PacsError(f"{_where(config)} redirected the {what} to another address, "
                        f"{public_url(exc.location)}, which neuroview does not follow; if that is "
                        "the DICOMweb root, enter it") from None
    except requests.HTTPError as exc:
        code = exc.response.status_code if exc.response is not None else 0
        if code in (401, 403):
            raise PacsError(f"{_where(config)} refused the credentials of user "
                            f"{config.username or '(none)'} (HTTP {code})") from None
        raise PacsError(f"{_where(config)} answered HTTP {code} to the {what}") from None
    except (requests.ConnectionError, requests.Timeout) as exc:
        tail = so_far() if so_far is not None else ""
        if _stalled(exc):
            raise PacsError(f"{_where(config)} stopped answering after {config.timeout:g} s during "
                            f"the {what}{tail or '; try again'}") from None
        if _unknown_host(exc):   # a typo in the URL's host: 'not reachable ...; try again' misled
            raise PacsError(f"no answer from {_where(config)}: "
                            f"{unknown_host(urlsplit(config.url).hostname or config.url)}") from None
        if tail:   # it answered before: 'not reachable' misled
            raise PacsError(f"{_where(config)} went away during the {what}{tail}") from None
        raise PacsError(f"no answer from {_where(config)} during the {what} (not reachable, or it "
                        "went away); try again") from None
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise PacsError(f"{_where(config)} did not give a DICOMweb answer to the {what} "
                        f"({type(exc).__name__}); is the URL the DICOMweb root?") from None
    except requests.RequestException as exc:
        raise PacsError(f"{_where(config)}: {what} failed ({type(exc).__name__})") from None


def _unknown_host(exc: BaseException) -> bool:
    """Whether a requests failure is a host name the name service does not know: a
    ``socket.gaierror`` behind it (urllib3 2 wraps it in NameResolutionError, 1.26 in
    NewConnectionError, each inside requests' ConnectionError and urllib3's MaxRetryError)."""
    causes, seen = [exc], set()
    while causes:
        cause = causes.pop()
        if cause is None or id(cause) in seen:
            continue
        seen.add(id(cause))
        if isinstance(cause, socket.gaierror):
            return True
        causes += [cause.__cause__, cause.__context__, getattr(cause, "reason", None),
                   *(arg for arg in cause.args if isinstance(arg, BaseException))]
    return False


def _stalled(exc: Exception) -> bool:
    """Whether a requests failure is a read that timed out (the server connected, then said
    nothing for its timeout), not a connection refused, closed or never made. requests raises a
    stall in the middle of a streamed body as a ConnectionError around urllib3's ReadTimeoutError."""
    import requests
    from urllib3.exceptions import ReadTimeoutError

    if isinstance(exc, requests.ConnectTimeout):
        return False
    return isinstance(exc, requests.ReadTimeout) or any(
        isinstance(arg, ReadTimeoutError) for arg in exc.args)


def _all_pages(config: ServerConfig, function, limit: int | None = None, stop: WebStop | None = None,
               **kwargs) -> Matches:
    """Every answer of a QIDO-RS search, page by page (``offset``), until a page brings nothing
    new. Not dicomweb-client's ``get_remaining``, which asks until a page is empty: Orthanc (1.10)
    ignores ``offset`` in a search by ModalitiesInStudy and sends the same page again, forever (a
    search by modality over DICOMweb never ended, in the window or with ``pacs find``)."""
    answers, seen = Matches(), set()
    if limit is not None:  # one more than the limit: whether more match
        kwargs["limit"] = limit + 1
    while True:
        if limit is not None and len(answers) > limit:
            del answers[limit:]
            answers.more = True
            return answers
        page = _call(config, "search", function, offset=len(answers), stop=stop, **kwargs)
        if not isinstance(page, list):
            raise PacsError(f"{_where(config)} did not give a DICOMweb answer to the search")
        new = []
        for answer in page:
            key = json.dumps(answer, sort_keys=True, default=str)
            if key not in seen:
                seen.add(key)
                new.append(answer)
        if not new:
            return answers
        answers.extend(new)


def search(config: ServerConfig, level: str = "STUDY", limit: int | None = None,
           cancel: CancelCheck = never_cancelled, **query) -> Matches:
    """QIDO-RS at STUDY or SERIES level (``StudyInstanceUID=`` narrows series to one study); at
    most ``limit`` answers (``more`` set when the server has more). ``cancel`` ends it within
    0.05 s, its request's connection closed (:class:`Cancelled`)."""
    from pydicom.dataset import Dataset

    level = level.upper()
    if level not in ("STUDY", "SERIES"):
        raise PacsError("DICOMweb searches studies or series (QIDO-RS has no patient level)")
    stop = WebStop(cancel, "search")
    client = _client(config, _session(config, stop))
    filters = {k: web_value(k, v) for k, v in query.items()
               if v not in (None, "") and k != "StudyInstanceUID"}
    fields = list(LEVEL_KEYS[level])
    if level == "STUDY":
        if "StudyInstanceUID" in query:
            filters["StudyInstanceUID"] = query["StudyInstanceUID"]
        answers = _all_pages(config, client.search_for_studies, limit, stop, search_filters=filters,
                             fields=fields)
    else:
        answers = _all_pages(config, client.search_for_series, limit, stop,
                             study_instance_uid=query.get("StudyInstanceUID") or None,
                             search_filters=filters, fields=fields)
    found = Matches(_call(config, "search", lambda a: as_dict(Dataset.from_json(a)), answer)
                    for answer in answers)
    found.more = answers.more
    return found


TEST_STUDY = "1.2.3.999999"
"""The study Test connection searches for: none, on any server (the answer's form is checked)."""


def check(config: ServerConfig, cancel: CancelCheck = never_cancelled) -> None:
    """Test connection's DICOMweb check: a QIDO-RS search (credentials checked too) whose answer
    must be DICOMweb's (``application/dicom+json``, or 204 No Content). Another web address that
    answers, such as Orthanc's own REST root (``[]`` as ``application/json`` on an empty server) or
    a web server answering 200 to everything, passed as ``connection ok`` until session 40; it is
    one line saying what to enter, the ``.../dicom-web`` beside it when that one answers.
    ``cancel`` ends it at once (:class:`Cancelled`), as a search."""
    stop = WebStop(cancel, "test")
    session = _session(config, stop)
    root = config.url.rstrip("/")
    answer = _call(config, "test search", _test_search, config, session, root, stop=stop)
    if _dicom_json(answer):
        return
    got = (f"HTTP {answer.status_code}" if answer.status_code != 200 else
           answer.headers.get("Content-Type", "").split(";")[0].strip() or "no content type")
    hint = "enter the DICOMweb root, the address before /studies (Orthanc's: http://HOST:8042/dicom-web)"
    if not root.endswith("/dicom-web"):
        try:
            if _dicom_json(stop.run(_test_search, config, session, root + "/dicom-web")):
                hint = f"the DICOMweb root is {public_url(root + '/dicom-web')}: enter that"
        except Cancelled:
            raise
        except Exception:  # noqa: BLE001 - only a hint: the line below is said either way
            pass
    raise PacsError(f"{_where(config)} is not a DICOMweb root: its answer to a QIDO-RS search was "
                    f"{got}, not DICOM JSON; {hint}")


def _test_search(config: ServerConfig, session, root: str):
    """The answer to a QIDO-RS search for :data:`TEST_STUDY` under ``root`` (404 returned, not raised)."""
    answer = session.get(f"{root}/studies", params={"StudyInstanceUID": TEST_STUDY},
                         headers={"Accept": "application/dicom+json"}, timeout=config.timeout)
    if answer.status_code != 404:
        answer.raise_for_status()
    return answer


def _dicom_json(answer) -> bool:
    """Whether ``answer`` is a QIDO-RS answer: 204 No Content, DICOM JSON, or a JSON list of
    datasets (tags as keys) under another JSON media type."""
    if answer.status_code == 204:
        return True
    if answer.status_code != 200:
        return False
    media = answer.headers.get("Content-Type", "").split(";")[0].strip().lower()
    if media == "application/dicom+json":
        return True
    try:
        found = answer.json() if media == "application/json" else None
    except ValueError:
        return False
    return (isinstance(found, list) and bool(found) and all(isinstance(item, dict) and item and all(
        len(key) == 8 and all(c in "0123456789abcdefABCDEF" for c in key) for key in item)
        for item in found))


def retrieve_series(config: ServerConfig, study_uid: str, series_uid: str, cache: SeriesCache,
                    progress: Progress = no_progress, cancel: CancelCheck = never_cancelled) -> Path:
    """WADO-RS one series into ``cache``, instance by instance; returns its folder
    (:func:`neuroview.io.pacs.retrieve` uses a cached copy instead when it is current)."""
    study_uid = check_uid(study_uid, "StudyInstanceUID")
    series_uid = check_uid(series_uid, "SeriesInstanceUID")
    stop = WebStop(cancel, "retrieval")   # a cancel ends the wait for an answer at once
    session = _session(config, stop)
    client = _client(config, session)
    instances = _all_pages(config, client.search_for_instances, stop=stop, study_instance_uid=study_uid,
                           series_instance_uid=series_uid, fields=["SOPInstanceUID"])
    uids = []
    for answer in instances:
        value = (answer.get("00080018") or {}).get("Value") if isinstance(answer, dict) else None
        if value:
            uids.append(check_uid(value[0], "SOPInstanceUID"))
    if not uids:
        raise PacsError(f"{_where(config)} has no image of that series")
    identity = StudyIdentity()   # the study's patient, as its search answers: each image is checked
    try:
        answers = search(config, "STUDY", cancel=cancel, StudyInstanceUID=study_uid)
    except PacsError:   # no study search here: the images must at least agree among themselves
        answers = []
    doubt = identity.answered(answers, study_uid)
    if doubt:
        raise PacsError(f"{_where(config)}: series {series_uid} not retrieved: {doubt}")

    room = RoomCheck(cache, len(uids))
    received = [0]

    def receive(folder: Path) -> int:
        # the images an earlier try kept, checked, then one WADO-RS request per missing instance:
        # true progress, and a server that goes away is noticed
        held = verified(folder, study_uid, series_uid, set(uids), identity, progress, cancel)
        received[0], room.total = len(held), len(uids) - len(held)
        if held:
            progress(len(held), len(uids), "retrieving")
        for uid in (uid for uid in uids if uid not in held):
            if cancel():
                raise Cancelled(f"retrieval cancelled; {kept_for_retry(received[0])}")
            try:
                data = stop.run(_fetch_instance, config, session,
                                f"studies/{study_uid}/series/{series_uid}/instances/{uid}")
            except Cancelled:
                raise Cancelled(f"retrieval cancelled; {kept_for_retry(received[0])}") from None
            where = f"{_where(config)}: instance {uid}"
            try:
                ds = read_instance(data, where)
            except PacsError:
                raise
            except Exception as exc:  # noqa: BLE001 - pydicom's many ways of saying "not DICOM"
                raise PacsError(f"{where}: the answer is not a readable DICOM instance "
                                f"({type(exc).__name__})") from None
            del data
            wrong = foreign(ds, study_uid, series_uid, uid, identity)
            if wrong:  # never cached as the series asked for (another patient's, maybe)
                raise KeptNothing(f"{_where(config)} sent an image of {wrong} for series "
                                f"{series_uid}; it was refused and nothing was kept",
                                hint=hint_for(wrong))
            try:
                write_whole(folder / f"{uid}.dcm", lambda part, ds=ds: ds.save_as(
                    part, enforce_file_format=True))
            except OSError as exc:
                full = room.full(exc)
                if full is None:
                    raise
                raise full from None
            room.arrived(folder / f"{uid}.dcm")
            received[0] += 1
            progress(received[0], len(uids), "retrieving")
        return len(uids)

    with cache.incoming(series_uid) as folder:
        _call(config, "retrieval", receive, folder, so_far=lambda: (
            f" ({received[0]} of {plural(len(uids), 'image')} received); {kept_for_retry(received[0])}"
            f"{'' if received[0] else ', try again'}"))
    return cache.path(series_uid)


def _fetch_instance(config: ServerConfig, session, path: str) -> bytes:
    """One WADO-RS Retrieve Instance answer, read 1 MiB at a time and refused (one
    :class:`PacsError` line) as soon as it passes :func:`.payload.instance_limit`; returns the
    instance's bytes (the first part of the multipart answer). Read here rather than by
    dicomweb-client, which holds the whole answer and inflates a deflated dataset unbounded."""
    limit = instance_limit()
    where = f"{_where(config)}: instance {path.rsplit('/', 1)[-1]}"
    url = f"{config.url.rstrip('/')}/{path}"
    with session.get(url, headers={"Accept": ACCEPT_DICOM}, stream=True, timeout=config.timeout) as answer:
        answer.raise_for_status()
        declared = answer.headers.get("Content-Length", "")
        if limit is not None and declared.isdigit() and int(declared) > limit:
            raise PacsError(f"{where}: the server announces {format_bytes(int(declared))}, more than "
                            f"the {format_bytes(limit)} neuroview reads with the memory available")
        body = bytearray()
        for chunk in answer.iter_content(CHUNK):  # (content-encoding such as gzip undone here)
            body += chunk
            if limit is not None and len(body) > limit:
                raise PacsError(f"{where}: the answer is bigger than the {format_bytes(limit)} "
                                "neuroview reads with the memory available")
        try:
            return _first_part(bytes(body), answer.headers.get("Content-Type", ""))
        except ValueError as exc:  # said as 'not a DICOMweb answer ... is the URL the root?'
            raise KeptNothing(f"{where}: {exc}; nothing was kept") from None


def _first_part(body: bytes, content_type: str) -> bytes:
    """The content of the first part of a ``multipart/related`` body (a non-multipart
    ``application/dicom`` answer, which some servers send, as it is)."""
    media, *params = [item.strip() for item in content_type.split(";")]
    boundary = next((value.strip().strip('"') for name, _, value in (p.partition("=") for p in params)
                     if name.strip().lower() == "boundary"), None)
    if media.lower() != "multipart/related" or not boundary:
        if media.lower() in ("application/dicom", "multipart/related"):
            return body
        raise ValueError(f"the answer is {media or 'of no media type'}, not DICOM")
    marker = b"--" + boundary.encode("latin-1")
    start = body.find(marker)
    head_end = body.find(b"\r\n\r\n", start) if start >= 0 else -1
    end = body.find(b"\r\n" + marker, head_end + 4) if head_end >= 0 else -1
    if end < 0:
        raise ValueError(f"the multipart answer has no complete part with its boundary {boundary!r}")
    return body[head_end + 4:end]


def stow(config: ServerConfig, paths: Iterable[str | os.PathLike], progress: Progress = no_progress,
         cancel: CancelCheck = never_cancelled) -> int:
    """STOW-RS every DICOM file under ``paths``; returns how many the server stored."""
    datasets = [ds for _file, ds in dicom_datasets(paths)]
    stop = WebStop(cancel, "sending")   # a cancel ends the wait for the server's answer at once
    client = _client(config, _session(config, stop))
    sent = 0
    for start in range(0, len(datasets), STOW_BATCH):
        if cancel():
            raise Cancelled(f"sending cancelled after {sent} of {plural(len(datasets), 'file')}")
        batch = datasets[start:start + STOW_BATCH]
        try:
            stored = f" ({sent} of {plural(len(datasets), 'file')} stored); try again"
            answer = _call(config, "store", client.store_instances, datasets=batch, stop=stop,
                           so_far=lambda stored=stored: stored)
        except Cancelled:   # the server may have stored the batch it was sent: said
            raise Cancelled(f"sending cancelled after {sent} of {plural(len(datasets), 'file')} "
                            f"(the server may keep the {plural(len(batch), 'file')} it was being "
                            "sent)") from None
        failed = answer.get("FailedSOPSequence") if answer is not None else None
        if failed:
            raise PacsError(f"{_where(config)} refused {len(failed)} of the files sent")
        sent += len(batch)
        progress(sent, len(datasets), "sending")
    return sent
