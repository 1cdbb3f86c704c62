"""DICOMweb with dicomweb-client: QIDO-RS (search), WADO-RS (retrieve into the cache), STOW-RS (store).

HTTP basic authentication from the server's credentials; every failure becomes one
:class:`PacsError` line (refused credentials, no answer, not a DICOMweb answer) without the password.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Iterable

from ...core.errors import Cancelled
from .cache import SeriesCache, check_uid
from .config import PacsError, ServerConfig, public_url
from .dimse import LEVEL_KEYS, CancelCheck, Progress, _as_dict, _never, _none, dicom_files

for _name in ("dicomweb_client", "urllib3.connectionpool"):
    logging.getLogger(_name).setLevel(logging.WARNING)
"""dicomweb-client and urllib3 log request URLs, with UIDs and search filters such as a patient's
name, at INFO/DEBUG: held at WARNING, like pynetdicom."""

STOW_BATCH = 16
"""Instances per STOW-RS request (progress moves between requests)."""


def _where(config: ServerConfig) -> str:
    return f"{config.name} ({public_url(config.url)})"


def _client(config: ServerConfig):
    import requests
    from dicomweb_client.api import DICOMwebClient

    if not config.has_web:
        raise PacsError(f"server {config.name!r} has no DICOMweb URL")

    class Session(requests.Session):
        """Keeps QIDO wildcards literal: Orthanc (1.10) takes ``Doe%2A`` for the text ``Doe*``."""

        def prepare_request(self, request):
            prepared = super().prepare_request(request)
            base, _, query = prepared.url.partition("?")
            if query:
                prepared.url = base + "?" + query.replace("%2A", "*").replace("%3F", "?")
            return prepared

    session = Session()
    if config.username or config.password:
        session.auth = (config.username, config.password)
    client = DICOMwebClient(url=config.url.rstrip("/"), session=session)
    # dicomweb-client retries every failure 5 times over 30 s by default; a user waiting on a
    # dialog is better served by one quick retry and a clear "try again"
    client.set_http_retry_params(retry=True, max_attempts=2, wait_exponential_multiplier=250)
    return client


def _call(config: ServerConfig, what: str, function, *args, **kwargs):
    """Run one dicomweb-client call, turning its many exceptions into one clear line."""
    import requests

    try:
        return function(*args, **kwargs)
    except (Cancelled, PacsError):
        raise
    except requests.HTTPError as exc:
        code = exc.response.status_code if exc.response is not None else 0
        if code in (401, 403):
            raise PacsError(f"{_where(config)} refused the credentials of user "
                            f"{config.username or '(none)'} (HTTP {code})") from None
        raise PacsError(f"{_where(config)} answered HTTP {code} to the {what}") from None
    except (requests.ConnectionError, requests.Timeout):
        raise PacsError(f"no answer from {_where(config)} during the {what} (not reachable, or it "
                        "went away); try again") from None
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise PacsError(f"{_where(config)} did not give a DICOMweb answer to the {what} "
                        f"({type(exc).__name__}); is the URL the DICOMweb root?") from None
    except requests.RequestException as exc:
        raise PacsError(f"{_where(config)}: {what} failed ({type(exc).__name__})") from None


def search(config: ServerConfig, level: str = "STUDY", **query) -> list[dict[str, str]]:
    """QIDO-RS at STUDY or SERIES level (``StudyInstanceUID=`` narrows series to one study)."""
    from pydicom.dataset import Dataset

    level = level.upper()
    if level not in ("STUDY", "SERIES"):
        raise PacsError("DICOMweb searches studies or series (QIDO-RS has no patient level)")
    client = _client(config)
    filters = {k: v for k, v in query.items() if v not in (None, "") and k != "StudyInstanceUID"}
    fields = list(LEVEL_KEYS[level])
    if level == "STUDY":
        if "StudyInstanceUID" in query:
            filters["StudyInstanceUID"] = query["StudyInstanceUID"]
        answers = _call(config, "search", client.search_for_studies, search_filters=filters,
                        fields=fields, get_remaining=True)
    else:
        answers = _call(config, "search", client.search_for_series,
                        study_instance_uid=query.get("StudyInstanceUID") or None,
                        search_filters=filters, fields=fields, get_remaining=True)
    if not isinstance(answers, list):
        raise PacsError(f"{_where(config)} did not give a DICOMweb answer to the search")
    return [_call(config, "search", lambda a: _as_dict(Dataset.from_json(a)), answer)
            for answer in answers]


def retrieve_series(config: ServerConfig, study_uid: str, series_uid: str, cache: SeriesCache,
                    progress: Progress = _none, cancel: CancelCheck = _never) -> Path:
    """WADO-RS one series into ``cache``, instance by instance; returns its folder (cached: no transfer)."""
    study_uid = check_uid(study_uid, "StudyInstanceUID")
    series_uid = check_uid(series_uid, "SeriesInstanceUID")
    cached = cache.lookup(series_uid)
    if cached is not None:
        return cached
    client = _client(config)
    instances = _call(config, "search", client.search_for_instances, study_instance_uid=study_uid,
                      series_instance_uid=series_uid, fields=["SOPInstanceUID"], get_remaining=True)
    uids = []
    for answer in instances if isinstance(instances, list) else []:
        value = (answer.get("00080018") or {}).get("Value") if isinstance(answer, dict) else None
        if value:
            uids.append(check_uid(value[0], "SOPInstanceUID"))
    if not uids:
        raise PacsError(f"{_where(config)} has no image of that series")

    def receive(folder: Path) -> int:
        # one WADO-RS request per instance: true progress, and a server that goes away is noticed
        for done, uid in enumerate(uids, start=1):
            if cancel():
                raise Cancelled("retrieval cancelled; nothing was kept")
            ds = client.retrieve_instance(study_uid, series_uid, uid)
            ds.save_as(folder / f"{uid}.dcm", enforce_file_format=True)
            progress(done, len(uids), "retrieving")
        return len(uids)

    with cache.incoming(series_uid) as folder:
        _call(config, "retrieval", receive, folder)
    return cache.path(series_uid)


def stow(config: ServerConfig, paths: Iterable[str | os.PathLike], progress: Progress = _none,
         cancel: CancelCheck = _never) -> int:
    """STOW-RS every DICOM file under ``paths``; returns how many the server stored."""
    import pydicom

    datasets = []
    for file in dicom_files(paths):
        try:
            datasets.append(pydicom.dcmread(file))
        except Exception:  # not DICOM: not ours to send
            continue
    if not datasets:
        raise PacsError("no DICOM file to send")
    client = _client(config)
    sent = 0
    for start in range(0, len(datasets), STOW_BATCH):
        if cancel():
            raise Cancelled(f"sending cancelled after {sent} of {len(datasets)} files")
        batch = datasets[start:start + STOW_BATCH]
        answer = _call(config, "store", client.store_instances, datasets=batch)
        failed = answer.get("FailedSOPSequence") if answer is not None else None
        if failed:
            raise PacsError(f"{_where(config)} refused {len(failed)} of the files sent")
        sent += len(batch)
        progress(sent, len(datasets), "sending")
    return sent
