"""Save to PACS: a reader's corrected mask goes back to the server as a DICOM SEG.

The SEG (written by :func:`neuroview.io.seg.save_seg` with highdicom) references the source series,
names the reader in ContentCreatorName (DICOM's PN form, ``Smith^Ann``, from the name as typed:
``Ann Smith``, ``Smith, Ann``), says whose version it is in its series description (which PACS
viewers list) as people read the name (``Lesions - Ann Smith's version``) and records the model
that proposed the mask as contributing processing equipment. It is sent by C-STORE or STOW-RS
like any other file.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Sequence

from ...core.jobs import CancelToken, check
from ..dicom.person_name import dicom_name, readable_name
from ..seg import read_series_headers, save_seg
from . import store
from .config import PacsError, ServerConfig
from .payload import read_instance


def version_description(reader: str, model: str = "", label: str = "Lesions") -> str:
    """``"Lesions - Ann Smith's version (from model x@1)"`` within DICOM's 64 characters; ``reader``
    as typed or in PN form (``Smith^Ann``), named as people read it. A model that does not fit
    whole is left out (the SEG names it as contributing equipment): cut, ``lesionseg@1.1.0`` read
    ``(from model lesionseg@1.1``, another version."""
    text = f"{label} - {readable_name(dicom_name(reader))}'s version"
    with_model = f"{text} (from model {model})"
    return with_model if model and len(with_model) <= 64 else text[:64]


def _describe_study(path: Path, text: str) -> None:
    """Give the SEG at ``path`` its study's description, which the server holds for that study
    already. A SEG leaves it out (:mod:`..seg_sources`, a file may go elsewhere); sent without it,
    Orthanc's DICOMweb plugin (1.7) answered the study's description from the SEG, its latest
    instance: none, and a search by description no longer found the study."""
    seg = read_instance(path.read_bytes(), str(path))   # (read whole: written back to the path)
    seg.StudyDescription = text
    if "SpecificCharacterSet" not in seg and not text.isascii():
        seg.SpecificCharacterSet = "ISO_IR 192"
    seg.save_as(path, enforce_file_format=True)


def save_mask_to_pacs(config: ServerConfig, label_map, sources: Sequence | str | os.PathLike, reader: str,
                      model: str = "", protocol: str = "auto", label: str = "Lesions",
                      description: str = "", work=(), cancel: CancelToken | None = None) -> str:
    """Send ``label_map`` as a SEG of the source series; returns the SEG's SeriesInstanceUID.

    Its series description is ``description``, else :func:`version_description` of the reader;
    ``reader`` as typed (``Ann Smith``, ``Smith, Ann``) or in PN form goes into ContentCreatorName
    as ``Smith^Ann``. ``work``: the annotators' editing sessions behind the labels, which the SEG
    keeps (``io.seg_work``).
    ``sources`` is the folder of the source series (e.g. its cache folder) or its pydicom headers.
    ``cancel`` is looked at before the SEG is written (3 s for a 512x512x300 CT) and right before
    it is sent: cancelled, nothing reached the server. The SEG is one file, sent in one C-STORE
    (or STOW-RS) that is not cut short: once under way, the server gets it whole.
    """

    if not reader.strip():
        raise PacsError("say who the reader is: a SEG for the PACS names whose version it is")
    if isinstance(sources, (str, os.PathLike)):
        sources = read_series_headers([sources])
    check(cancel)
    study = next((str(ds.StudyDescription) for ds in sources if ds.get("StudyDescription")), "")
    with tempfile.TemporaryDirectory(prefix="neuroview-seg-") as folder:
        path = Path(folder) / "seg.dcm"
        save_seg(label_map, sources, path,
                 series_description=description or version_description(reader, model, label),
                 content_creator=dicom_name(reader), model=model, work=work)
        if study:
            _describe_study(path, study)
        series_uid = str(read_instance(path, str(path), stop_before_pixels=True).SeriesInstanceUID)
        check(cancel)
        # sent without the cancel: a STOW-RS it abandoned (web_stop) may be on the server all the
        # same, and the window would say that nothing was sent
        store(config, [path], protocol)
    return series_uid
