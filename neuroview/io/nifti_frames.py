"""What a 4D NIfTI says of its volumes, and the FSL files written beside one
(:func:`write_diffusion_files`): the b-value of each volume of a DWI (FSL's ``.bval`` file
beside it, as dcm2niix writes it) and the time between the volumes of a run (``pixdim[4]`` in
the header's time unit, dcm2niix's repetition time; a FreeSurfer MGH's ``tr``, in ms). Kept in
``Volume.source_metadata`` as ``bvals`` (the numbers as the file holds them, one per volume) and
``frame_interval_s``; the window names the volume shown with them (``app.frames.frame_value``).
The FSL ``.bvec`` beside a ``.bval`` is kept as ``bvecs`` and ``gradients_ras`` (world
directions), which ``convert`` writes again beside the NIfTI it writes."""

from __future__ import annotations

import os

NIFTI_ENDINGS = (".nii.gz", ".nii")
"""The names a ``.bval`` file is looked for beside (``NAME.nii.gz`` -> ``NAME.bval``)."""
BVAL_MAX_BYTES = 1 << 16
"""A ``.bval`` file larger than this is not a list of b-values: left unread."""

TIME_UNITS = {"sec": 1.0, "msec": 1e-3, "usec": 1e-6}


def frame_metadata(img, path: str, n_frames: int) -> tuple[dict, str]:
    """``(metadata, warning)`` of a NIfTI of ``n_frames`` volumes on its 4th axis: ``bvals`` when
    a ``.bval`` file beside it holds one number per volume (else a one-line warning naming it),
    ``frame_interval_s`` when the header gives a time between volumes; ``({}, "")`` otherwise."""
    meta: dict = {}
    if n_frames < 2:
        return meta, ""
    warning = ""
    bval = _bval_path(path)
    if bval is not None:
        values = _read_bvals(bval)
        if values is not None and len(values) == n_frames:
            meta["bvals"] = " ".join(f"{v:g}" for v in values)
            directions, warning = _bvec_metadata(bval, img.affine, n_frames)
            meta.update(directions)
        else:
            found = "no number list" if values is None else f"{len(values)} b-values"
            warning = (f"{os.path.basename(bval)}: {found} for {n_frames} volumes; the b-values "
                       "are not shown") + _bvec_left(bval)
    step = _interval_s(img.header)
    if 0 < step < float("inf"):   # not NaN nor infinity either
        meta["frame_interval_s"] = f"{step:g}"
    return meta, warning


def bval_name(path: str) -> str:
    """``NAME.bval`` for ``NAME.nii.gz`` / ``NAME.nii`` (dcm2niix's naming), whether or not it
    exists."""
    lower = os.path.basename(path).lower()
    for ending in NIFTI_ENDINGS:
        if lower.endswith(ending):
            return path[: -len(ending)] + ".bval"
    return os.path.splitext(path)[0] + ".bval"


def write_diffusion_files(nifti_path: str, volume) -> list[str]:
    """Write the FSL ``.bval`` (and ``.bvec``) of the 4D ``volume`` beside the NIfTI file just
    written for it, as dcm2niix does: the b-value of each volume in the file's order on one line,
    tab-separated (dcm2niix's); the gradient directions as three lines (x, y, z) in FSL's
    convention: the file's voxel axes, x negated where its affine's determinant is positive.
    Atomically. Returns the paths written: none for a volume without a b-value for each of its
    volumes (a 3D image, an fMRI run); no ``.bvec`` where the directions are not known. One
    volume of a DWI (:func:`one_volume_metadata`) gets its one b-value and direction."""
    from ..core.atomic import write_text_atomic

    meta = volume.source_metadata or {}
    values = str(meta.get("bvals", "")).split()
    if volume.axis4 not in ("time", "") or len(values) != volume.n_frames:
        return []
    path = bval_name(nifti_path)
    write_text_atomic(path, "\t".join(values) + "\n")
    written = [path]
    vectors = fsl_bvecs(meta.get("gradients_ras", ""), volume.ijk_to_ras, volume.n_frames)
    if vectors is not None:
        bvec = path[: -len(".bval")] + ".bvec"
        rows = _as_read(meta.get("bvecs", ""), vectors)
        if rows is None:
            rows = [[f"{v:.6g}" for v in row] for row in vectors]
        write_text_atomic(bvec, "".join("\t".join(row) + "\n" for row in rows))
        written.append(bvec)
    return written


def one_volume_metadata(meta: dict, frame: int, n_frames: int) -> dict:
    """What ``meta`` of a DWI of ``n_frames`` volumes says of volume ``frame`` (0-based) alone:
    its b-value (``bvals``), its direction (``gradients_ras``, and ``bvecs``: column ``frame``
    of the ``.bvec`` read), so that the 3D file of that volume gets a one-value ``.bval`` and a
    one-direction ``.bvec``; ``{}`` where ``meta`` has no b-value for each volume."""
    values = str(meta.get("bvals", "")).split()
    if len(values) != n_frames or not 0 <= frame < n_frames:
        return {}
    one = {"bvals": values[frame], "gradients_ras": "", "bvecs": ""}
    world = str(meta.get("gradients_ras", "")).split()
    if len(world) == 3 * n_frames:
        one["gradients_ras"] = " ".join(world[3 * frame:3 * frame + 3])
    words = str(meta.get("bvecs", "")).split()
    if len(words) == 3 * n_frames:
        one["bvecs"] = " ".join(words[row * n_frames + frame] for row in range(3))
    return one


def _as_read(bvecs: str, vectors):
    """The numbers of the ``.bvec`` read with the image (``bvecs``, as its file holds them) as
    three rows, where they are ``vectors``: the grid written has the voxel axes of the file read
    (convert changes them only to resample a sheared grid), so the file is copied as it is;
    ``None`` where the axes differ (or nothing was read): the directions re-expressed then."""
    import numpy as np

    words = bvecs.split()
    if len(words) != 3 * len(vectors[0]):
        return None
    if not np.allclose(np.array(words, dtype=np.float64).reshape(3, -1), vectors, atol=1e-6):
        return None
    n = len(vectors[0])
    return [words[row * n:(row + 1) * n] for row in range(3)]


def _bvec_metadata(bval: str, affine, n_frames: int) -> tuple[dict, str]:
    """``(metadata, warning)`` of the FSL ``.bvec`` beside ``bval``: ``bvecs`` (its numbers as
    the file holds them, rows x, y, z) and ``gradients_ras`` (each volume's direction in world
    space, by FSL's convention on ``affine``: voxel axes, x negated where the determinant is
    positive), so that ``convert`` writes it again on the grid it writes; a warning naming it
    where it is not 3 rows of one number a volume; ``({}, "")`` where there is none."""
    import numpy as np

    path = bval[: -len(".bval")] + ".bvec"
    if not os.path.isfile(path):
        return {}, ""
    values = _read_bvals(path)
    if values is None or len(values) != 3 * n_frames:
        found = "no number list" if values is None else f"{len(values)} numbers"
        return {}, (f"{os.path.basename(path)}: {found} for 3 x {n_frames} volumes; the "
                    "gradient directions are not read")
    with open(path, encoding="ascii") as handle:
        words = handle.read().split()
    axes = np.asarray(affine, dtype=np.float64)[:3, :3]
    axes = axes / np.linalg.norm(axes, axis=0)
    voxel = np.array(values, dtype=np.float64).reshape(3, n_frames)
    if np.linalg.det(axes) > 0:
        voxel[0] = -voxel[0]
    world = (axes @ voxel).T
    return ({"bvecs": " ".join(words), "gradients_ras": " ".join(f"{c:.9g}" for c in world.ravel())},
            "")


def _bvec_left(bval: str) -> str:
    """What the warning of an unusable ``.bval`` adds where a ``.bvec`` lies beside it: its
    directions, one per volume of those b-values, are not read either (nor written by
    ``convert``)."""
    path = bval[: -len(".bval")] + ".bvec"
    if not os.path.isfile(path):
        return ""
    return f", and {os.path.basename(path)} beside it is not read either"


def fsl_bvecs(gradients_ras: str, ijk_to_ras, n_frames: int):
    """``3 x n_frames`` rows of FSL ``.bvec`` numbers for world (RAS) directions given as text, 3
    numbers a volume, on the grid ``ijk_to_ras``; ``None`` when the text holds another count."""
    import numpy as np

    try:
        world = np.array([float(w) for w in str(gradients_ras).split()], dtype=np.float64)
    except ValueError:
        return None
    if world.size != 3 * n_frames or n_frames == 0:
        return None
    axes = np.asarray(ijk_to_ras, dtype=np.float64)[:3, :3]
    axes = axes / np.linalg.norm(axes, axis=0)
    voxel = np.linalg.solve(axes, world.reshape(n_frames, 3).T)
    if np.linalg.det(axes) > 0:
        voxel[0] = -voxel[0]
    voxel[np.abs(voxel) < 1e-6] = 0.0  # float32 cosines from the files
    return voxel.tolist()


def _is_mgh(header) -> bool:
    from nibabel.freesurfer.mghformat import MGHHeader

    return isinstance(header, MGHHeader)


def _interval_s(header) -> float:
    """Seconds between volumes: a NIfTI's ``pixdim[4]`` in its time unit, an MGH's ``tr`` (ms,
    FreeSurfer's repetition time); 0 when the header gives none."""
    try:
        if _is_mgh(header):
            return float(header["tr"]) * 1e-3
        return float(header["pixdim"][4]) * TIME_UNITS[header.get_xyzt_units()[1]]
    except (AttributeError, KeyError, IndexError, ValueError, TypeError):
        return 0.0   # no time unit


def _bval_path(path: str):
    """``NAME.bval`` beside ``NAME.nii(.gz)``, when there is one."""
    lower = os.path.basename(path).lower()
    for ending in NIFTI_ENDINGS:
        if lower.endswith(ending):
            candidate = path[: -len(ending)] + ".bval"
            return candidate if os.path.isfile(candidate) else None
    return None


def _read_bvals(path: str):
    """The numbers of a ``.bval`` file (FSL: one line, spaces between), or ``None`` when it is
    unreadable, too large or holds anything else."""
    try:
        if os.path.getsize(path) > BVAL_MAX_BYTES:
            return None
        with open(path, encoding="ascii") as handle:
            return [float(word) for word in handle.read().split()]
    except (OSError, UnicodeDecodeError, ValueError):
        return None


def frames_summary(path: str, n_frames: int) -> tuple[str, str]:
    """``(line, warning)`` for ``neuroview info``: what a 4D NIfTI's header and ``.bval`` (an
    MGH's header) say of its ``n_frames`` volumes, read from the header alone (no voxels): ``"7
    volumes, b-values 0 1000 ... (dwi.bval); pixdim[4] = 1 with no time unit (no TR)"``, ``"20
    time points, TR 2 s (pixdim[4] = 2 sec)"``, ``"20 time points, TR 2 s (tr = 2000 ms)"``; the
    warning is :func:`frame_metadata`'s (a ``.bval`` of another count)."""
    import nibabel as nib

    img = nib.load(path)
    meta, warning = frame_metadata(img, path, n_frames)
    parts = []
    if "bvals" in meta:
        parts.append(f"b-values {meta['bvals']} ({os.path.basename(_bval_path(path))})")
    header = img.header
    if _is_mgh(header):   # FreeSurfer's TR, in ms
        stated, unit = f"tr = {float(header['tr']):g} ms", "ms"
    else:
        unit = header.get_xyzt_units()[1]
        stated = f"pixdim[4] = {float(header['pixdim'][4]):g}"
    if "frame_interval_s" in meta:
        parts.append(f"TR {meta['frame_interval_s']} s ({stated}{'' if unit == 'ms' else ' ' + unit})")
    elif unit == "ms":
        parts.append(f"{stated} (no TR)")
    else:
        parts.append(f"{stated} with {'no' if unit == 'unknown' else unit} time unit (no TR)")
    what = "volumes" if "bvals" in meta else "time points"
    return f"{n_frames} {what}, " + "; ".join(parts), warning
