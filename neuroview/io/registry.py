"""Which reader handles a path: NIfTI/MGH, NRRD, MetaImage, or DICOM (file, folder tree,
DICOMDIR)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Optional, Sequence

from ..core.errors import LoadError, NeuroviewError, NoImageFoundError
from ..core.geometry import orientation_label, stated_spacing
from ..core.jobs import CancelToken, ProgressFn, check
from ..core.volume import Volume
from .candidates import ScanResult, SeriesCandidate
from .header_check import check_regular_file, memory_warnings, path_problem
from .metaimage import is_metaimage_path, load_metaimage, read_geometry
from .nifti import is_nifti_path, load_nifti, open_nifti
from .nifti_pairs import is_pair_voxels, matrix_file, pair_files
from .nifti_scaling import unused_slope_warning
from .nifti_sidecar import sidecar_modality
from .nifti_voxels import complex_note
from .nrrd import is_nrrd_path, load_nrrd, nrrd_voxel_source, read_nrrd_header


def _volume_file_candidate(path: str) -> SeriesCandidate:
    """A candidate for a NIfTI/MGH/NRRD/MetaImage file, read from its header only."""
    modality, voxel_files = "", ()
    if is_metaimage_path(path):
        shape, affine, nbytes, fields = read_geometry(path)
        warnings, fmt = [], "MetaImage"
        data = fields["ElementDataFile"]   # checked: LOCAL or a file in the header's folder
        voxel_files = (path,) if data.upper() == "LOCAL" else (
            path, os.path.join(os.path.dirname(path), data))

        def loader(progress=None, cancel=None, _p=path) -> Volume:
            return load_metaimage(_p, progress=progress, cancel=cancel)
    elif is_nrrd_path(path):
        shape, affine, nbytes = read_nrrd_header(path)  # voxels are read when the series is loaded
        warnings = []
        fmt = "NRRD"

        def loader(progress=None, cancel=None, _p=path) -> Volume:
            return load_nrrd(_p, progress=progress, cancel=cancel)
    else:
        img, nbytes = open_nifti(path)  # header checked against the file, no voxels read
        shape, affine = img.shape, img.affine
        modality, said = sidecar_modality(path)   # dcm2niix's T1w.json: "Modality": "MR"
        warnings = [w for w in [unused_slope_warning(img), complex_note(img.get_data_dtype(), path),
                                said] if w]
        fmt = "NIfTI" if path.lower().endswith((".nii", ".nii.gz")) else "MGH"
        if path.lower().endswith((".hdr", ".img")):
            fmt = "NIfTI pair" if "Nifti" in type(img).__name__ else "Analyze 7.5"

        def loader(progress=None, cancel=None, _p=path) -> Volume:
            return load_nifti(_p, progress=progress, cancel=cancel)
    name = Path(path).name
    pair = pair_files(path)   # its voxels' file; with a .mat beside it (SPM's): not stamped
    matrix = pair is not None and os.path.lexists(matrix_file(pair[0]))
    files = pair if pair is not None and not matrix else (path,) if fmt in ("NIfTI", "MGH") else ()
    files = voxel_files if fmt == "MetaImage" else files
    # the files the image is read from (info's "2 files" for a .mhd and its .raw, a .hdr and its
    # .img, an .nhdr and its data; they read "1 file" until session 44)
    parts = voxel_files if fmt == "MetaImage" else (path,)
    if pair is not None:   # with SPM's .mat, which nibabel reads too
        parts = pair + ((matrix_file(pair[0]),) if matrix else ())
    elif path.lower().endswith(".nhdr"):   # a detached header's data file
        parts = (path, nrrd_voxel_source(path)[2][0])
    return SeriesCandidate(
        key=path, description=name, modality=modality, shape=tuple(int(n) for n in shape),
        spacing=stated_spacing(affine), orientation=orientation_label(affine), loader=loader,
        source_format=fmt, warnings=memory_warnings(nbytes) + warnings, files=files,
        n_files=len(set(parts)),
    )


def is_volume_path(path: str) -> bool:
    """A NIfTI/MGH/Analyze, NRRD or MetaImage file by its name (anything else is tried as DICOM)."""
    return is_nifti_path(path) or is_nrrd_path(path) or is_metaimage_path(path)


def _walk(folder: str) -> tuple[list[str], list[str]]:
    """The files under ``folder`` (sorted, hidden ones left out) and the symbolic links to
    folders met on the way, which are not followed: one to ``..`` or ``/`` would have the scan
    read the whole disk, and one to itself would never end."""
    files, linked = [], []
    for root, dirs, names in os.walk(folder):
        dirs.sort()
        linked.extend(os.path.join(root, d) for d in dirs
                      if not d.startswith(".") and os.path.islink(os.path.join(root, d)))
        files.extend(os.path.join(root, n) for n in sorted(names) if not n.startswith("."))
    return files, linked


def scan(paths: str | os.PathLike | Sequence[str | os.PathLike],
         progress: Optional[ProgressFn] = None,
         cancel: Optional[CancelToken] = None, dicom_options=None) -> ScanResult:
    """Examine files and folders into image series candidates without reading pixel data.

    ``dicom_options`` (a :class:`neuroview.io.dicom.DicomOptions`) chooses how uneven slices and
    Philips scales are handled.

    Raises :class:`LoadError` (naming the path) when nothing loadable is found.
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    paths = [os.fspath(p) for p in paths]
    result = ScanResult(source=paths[0] if len(paths) == 1 else f"{len(paths)} paths")
    dicom_files: list[str] = []
    for path in paths:
        problem = path_problem(path)
        if problem:  # a loop of links is named as such, not "no such file"
            raise LoadError(problem, path=path)
        if os.path.isdir(path):
            files, linked = _walk(path)
            if not files and not linked:
                raise NoImageFoundError("folder is empty", path=path)
            result.notes.extend(f"skipped {link}: is a link to a folder, not followed (open "
                                "the folder it points to)" for link in linked)
            for file in files:
                check(cancel)
                try:
                    check_regular_file(file)
                except NeuroviewError as exc:   # a named pipe would hang the scan
                    result.notes.append(f"skipped {exc}")
                    continue
                if is_pair_voxels(file):
                    continue  # the pair is listed once, by its .hdr
                if is_volume_path(file):
                    try:
                        result.candidates.append(_volume_file_candidate(file))
                    except NeuroviewError as exc:
                        result.notes.append(f"skipped {exc}")
                else:
                    dicom_files.append(file)
        elif is_volume_path(path):
            result.candidates.append(_volume_file_candidate(path))
        else:
            check_regular_file(path)
            dicom_files.append(path)
    if dicom_files:
        from .dicom import scan_files

        found = scan_files(dicom_files, progress=progress, cancel=cancel,
                           single_file=len(paths) == 1 and not os.path.isdir(paths[0]),
                           options=dicom_options)
        result.candidates.extend(found.candidates)
        result.notes.extend(found.notes)
    if not result.candidates:
        detail = f": {result.notes[0]}" if len(result.notes) == 1 else ""
        if len(result.notes) > 1:
            detail = f" ({len(result.notes)} files skipped, e.g. {result.notes[0]})"
        raise NoImageFoundError(f"no image found{detail}", path=result.source)
    return result


def choose(result: ScanResult, series: Optional[int] = None) -> SeriesCandidate:
    """Pick candidate number ``series`` (1-based, as ``neuroview info`` lists them) or the best."""
    if series is None:
        return result.best()
    if not 1 <= series <= len(result.candidates):
        raise LoadError(f"series {series} does not exist; {len(result.candidates)} found "
                        "(see 'neuroview info')", path=result.source or None)
    return result.candidates[series - 1]


def load(paths, series: Optional[int] = None, progress: Optional[ProgressFn] = None,
         cancel: Optional[CancelToken] = None, dicom_options=None) -> Volume:
    """Scan ``paths`` and load one series (the best one unless ``series`` is given)."""
    result = scan(paths, progress=progress, cancel=cancel, dicom_options=dicom_options)
    return choose(result, series).load(progress=progress, cancel=cancel)
