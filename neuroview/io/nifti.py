"""NIfTI (.nii, .nii.gz), NIfTI/Analyze 7.5 pairs (.hdr + .img) and FreeSurfer (.mgz, .mgh)
through nibabel.

nibabel chooses sform or qform as it documents (``img.affine``; Analyze 7.5 headers, which have
neither, get nibabel's radiological default), applies scl_slope/scl_inter, and memory-maps
uncompressed files; we keep all of that. 4D images stay 4D (time or channels). The voxels of a
pair must be a regular file beside its header, as for every file another file leads to.
"""

from __future__ import annotations

import contextlib
import gzip
import io
import logging
import math
import os
import warnings
import zlib
from pathlib import Path

import numpy as np

from ..core.atomic import atomic_path
from ..core.ct_padding import padding_read_as_air
from ..core.errors import CorruptFileError, LoadError, SaveError, first_line
from ..core.geometry import shear_mm
from ..core.volume import Volume
from .adc_unit import adc_unit, names_adc, unit_from_values
from .compressed import MGH_SIZE, check_compressed_header, nifti_header, peek, raise_if_cut, stream_words
from .gzip_header import check_gzip_header
from .gzip_length import HEADER_PROBE, cut_in_trailer, raise_if_cut_short
from .gzip_trailer import start_problem
from .header_check import (
    check_affine,
    check_declared_size,
    check_dimensions,
    check_nifti_dim_count,
    check_nifti_numbers,
    check_not_empty,
    header_words,
    path_problem,
    require_voxel_memory,
)
from .mgh_footer import FOOTER_LIMIT, footer_problem, footer_words
from .nibabel_words import mgh_type_words, nibabel_words
from .nifti_frames import frame_metadata
from .nifti_pairs import pair_files
from .nifti_scaling import unused_slope_warning
from .nifti_sidecar import (
    sidecar_body_part,
    sidecar_echo,
    sidecar_frame_times,
    sidecar_modality,
    sidecar_names_adc,
    sidecar_names_kind,
)
from .nifti_voxels import complex_as_magnitude, read_voxels

NIFTI_SUFFIXES = (".nii", ".nii.gz", ".mgz", ".mgh", ".hdr", ".img")


def is_nifti_path(path: str | os.PathLike) -> bool:
    name = os.fspath(path).lower()
    return name.endswith(NIFTI_SUFFIXES)


def _header_metadata(img) -> dict:
    """Header fields kept apart as source metadata (descrip may hold identifying text)."""
    meta: dict = {"format": type(img).__name__}
    header = img.header
    for key in ("descrip", "aux_file", "intent_name", "db_name"):
        try:
            value = header[key]
        except (KeyError, ValueError, TypeError):
            continue
        value = value.item() if hasattr(value, "item") else value
        if isinstance(value, bytes):
            value = value.decode("latin-1", "replace").strip("\x00 ")
        if value:
            meta[key] = value
    return meta


def _first_bytes(path: str) -> bytes:
    """The first 544 bytes of a NIfTI-1/-2 or Analyze header (inflated for a ``.gz``); nothing
    for an MGH file."""
    lower = path.lower()
    if lower.endswith(".mgz") or lower.endswith(".mgh"):
        return b""
    if lower.endswith(".gz"):
        return peek(path, 544)
    with open(path, "rb") as handle:
        return handle.read(544)


def open_nifti(path: str | os.PathLike, loading: bool = False):
    """The nibabel image of a NIfTI/MGH file, its header checked against the file (sizes,
    offsets, geometry) without reading voxels; returns ``(img, declared voxel bytes)``.
    ``loading``: the voxels will be read next, so a compressed file declaring more than the
    memory available is refused before nibabel reads past its header."""
    import nibabel as nib
    from nibabel.freesurfer.mghformat import MGHError

    path = os.fspath(path)
    problem = path_problem(path)
    if problem:
        raise LoadError(problem, path=path)
    pair = pair_files(path)
    if pair is not None:
        path = pair[0]
    check_not_empty(path)
    check_gzip_header(path)
    _check_mgh_header(path)
    head = _first_bytes(path)
    check_nifti_dim_count(head, path)
    check_nifti_numbers(head, path)
    check_compressed_header(path, loading)  # before nibabel inflates anything a lying header asks for
    # nibabel logs each header value it repairs or rejects on stderr itself (four lines for a
    # data offset of 0, beside neuroview's one line): rejections raise and are named below
    logging.getLogger("nibabel.global").setLevel(logging.CRITICAL + 1)
    try:
        # an MGH/MGZ whose float32 directions times spacing overflow: numpy's "overflow
        # encountered in cast" was printed above the line naming the infinite affine; an
        # extension of a size not a multiple of 16: nibabel's two-line warning above ours
        with np.errstate(over="ignore", invalid="ignore"), warnings.catch_warnings():
            warnings.filterwarnings("ignore", "Extension size is not a multiple of 16", UserWarning)
            img = _mgz_without_footer(path) if path.lower().endswith(".mgz") else _nib_load(path)
        header = img.header
        if not hasattr(header, "get_data_shape"):  # CIFTI-2: grayordinates, no voxel grid
            kind = "CIFTI-2" if "Cifti2" in type(img).__name__ else type(img).__name__
            raise LoadError(f"a {kind} file holds surface and grayordinate data, not a volume "
                            "neuroview can show", path=path)
        shape, dtype = header.get_data_shape(), header.get_data_dtype()
        # the image's header copy forgets vox_offset; the data proxy keeps where it reads from
        offset = int(getattr(img.dataobj, "offset", header.get_data_offset()))
        forms = []
        if isinstance(header, nib.Nifti1Header):  # NIfTI-2 too: both forms, as readers differ
            forms = [(what, *getter(coded=True)) for what, getter in
                     (("sform", header.get_sform), ("qform", header.get_qform))]
        affine = img.affine
    except (gzip.BadGzipFile, zlib.error, EOFError) as exc:
        raise_if_cut(path)
        raise CorruptFileError(f"compressed data is broken or truncated ({stream_words(exc)})",
                               path=path) from None
    except nib.filebasedimages.ImageFileError as exc:
        raise_if_cut(path)
        if path.lower().endswith((".gz", ".mgz")) and (damage := start_problem(path)) is not None:
            raise damage from None
        raise CorruptFileError(f"not a valid NIfTI/MGH header ({header_words(exc, path)})",
                               path=path) from None
    except (ValueError, OSError, OverflowError, MGHError, nib.spatialimages.HeaderDataError) as exc:
        raise_if_cut(path)
        text = first_line(exc)
        raise CorruptFileError(nibabel_words(text, path) or f"invalid header ({text})",
                               path=path) from None
    except KeyError as exc:  # nibabel's lookup of a code it does not know (an MGH data type)
        raise CorruptFileError(mgh_type_words(exc.args[0]), path=path) from None
    compressed = "deflate" if path.lower().endswith((".gz", ".mgz")) else None
    if pair is not None:  # the .img holds the voxels: a truncated one is named
        nbytes = check_declared_size(pair[1], shape, dtype.itemsize, offset)
    else:
        nbytes = check_declared_size(path, shape, dtype.itemsize, offset, compressed)
    if path.lower().endswith(".mgh"):
        _check_mgh_footer(path, offset + nbytes, shape)
    for what, form, code in forms:
        if code:
            check_affine(form, path, what)
    check_affine(affine, path)
    return img, nbytes


def _nib_load(path: str):
    """``nib.load``, and for a ``.nii.gz`` of about 1 kB or less inflated cut in its gzip trailer
    (nibabel's sniff of its first bytes meets the cut: "Cannot work out file type") the
    NIfTI class its header names, as a bigger file cut there reads (it said "ends before the
    voxels" of a file holding every voxel)."""
    import nibabel as nib

    try:
        return nib.load(path)
    except nib.filebasedimages.ImageFileError:
        if not path.lower().endswith(".gz"):
            raise
        with open(path, "rb") as handle:
            raw = handle.read(HEADER_PROBE)
        if len(raw) == HEADER_PROBE or not cut_in_trailer(raw):
            raise
        head = zlib.decompressobj(31).decompress(raw)   # (no trailer to check: none is whole)
        header = nifti_header(head)
        if header is None:
            raise
        klass = nib.Nifti2Image if isinstance(header, nib.Nifti2Header) else nib.Nifti1Image
        return klass.from_filename(path)


def _check_mgh_header(path: str) -> None:
    """An uncompressed ``.mgh`` holds its whole header (nibabel hands a shorter one to numpy: a
    ``TypeError``, "buffer is too small") and dimensions of at least 1 (nibabel seeks to its
    footer past a negative count of voxels: ``[Errno 22] Invalid argument``) whose voxels it
    holds."""
    from nibabel.freesurfer.mghformat import MGHHeader

    if not path.lower().endswith(".mgh"):
        return
    with open(path, "rb") as handle:
        head = handle.read(MGH_SIZE)
    if len(head) < MGH_SIZE:
        raise CorruptFileError(f"file is truncated: it ends at byte {len(head)}, inside its "
                               f"{MGH_SIZE}-byte MGH header", path=path)
    fields = np.ndarray((), MGHHeader._hdrdtype, head)
    dims = check_dimensions(fields["dims"], path)
    code = int(fields["type"])
    if code in MGHHeader._data_type_codes.value_set():   # an unknown type is named below
        # voxels the file cannot hold: nibabel seeks to the footer after them, and past the
        # largest offset a file system allows (100000^3 floats, 4e15 bytes) that was
        # "[Errno 22] Invalid argument"
        shape = tuple(dims[:3]) if dims[3:] == (1,) else tuple(dims)  # as nibabel's shape
        check_declared_size(path, shape, int(MGHHeader._data_type_codes.bytespervox[code]), MGH_SIZE)


def _check_mgh_footer(path: str, end: int, shape) -> None:
    """The bytes after an ``.mgh``'s voxels (from ``end``) can be its footer (:mod:`.mgh_footer`)."""
    with open(path, "rb") as handle:
        handle.seek(end)
        block = handle.read(FOOTER_LIMIT + 1)
    problem = footer_problem(block[:FOOTER_LIMIT], len(block) <= FOOTER_LIMIT)
    if problem:
        extra = os.path.getsize(path) - end
        raise CorruptFileError(footer_words(problem, extra, shape), path=path)


def _mgz_without_footer(path: str):
    """A ``.mgz`` as ``nib.load`` reads it, but without its footer (TR, flip angle, TE, TI, FoV):
    nibabel finds the footer by seeking past the voxels, which in a gzip stream means inflating
    them all (10 s for a 4 GB header on a 4 MB file) before anything can check the header, and
    then again to read them. The affine, shape, type and voxels come from the header alone; the
    footer is read after the voxels, from the same stream (:mod:`.nifti_voxels`)."""
    from nibabel.freesurfer.mghformat import MGHError, MGHHeader, MGHImage

    class HeaderOnly(MGHHeader):
        @classmethod
        def from_fileobj(klass, fileobj, check=True):
            head = fileobj.read(klass._hdrdtype.itemsize)
            if len(head) < klass._hdrdtype.itemsize:
                raise MGHError("the header is truncated")
            fields = np.ndarray((), dtype=klass._hdrdtype, buffer=head)
            # a header cut before its 284 bytes reaches here (nibabel's "Dimensions of the data
            # should be non-zero" for a zero); said as for a .nii and a whole .mgz
            check_dimensions(fields["dims"], path)
            return klass(head + bytes(klass._ftrdtype.itemsize), check=check)

    class ImageHeaderOnly(MGHImage):
        header_class = HeaderOnly

    ImageHeaderOnly.__name__ = MGHImage.__name__   # the "format" of its source metadata
    return ImageHeaderOnly.from_filename(path)


def load_nifti(path: str | os.PathLike, progress=None, cancel=None) -> Volume:
    """Load a NIfTI or MGH/MGZ file into a :class:`Volume`; ``progress`` and ``cancel`` as
    :func:`.nifti_voxels.read_voxels` takes them."""
    import nibabel as nib

    path = os.fspath(path)
    img, nbytes = open_nifti(path, loading=True)
    path = (pair_files(path) or (path,))[0]  # a pair: its header
    scaled = getattr(img.dataobj, "slope", 1.0) != 1.0 or getattr(img.dataobj, "inter", 0.0) != 0.0
    require_voxel_memory(max(nbytes, math.prod(img.shape) * 4) if scaled else nbytes, path)
    try:
        data = read_voxels(img, path, progress, cancel)
    except (gzip.BadGzipFile, zlib.error, EOFError) as exc:
        offset = int(getattr(img.dataobj, "offset", img.header.get_data_offset()))
        raise_if_cut_short(path, offset + nbytes, offset)
        raise CorruptFileError(f"compressed data is broken or truncated ({stream_words(exc)})",
                               path=path) from None
    except (ValueError, OSError, nib.spatialimages.HeaderDataError) as exc:
        raise CorruptFileError(f"cannot read image data ({first_line(exc)})", path=path) from None
    if data.ndim == 2:
        data = data[:, :, None]
    data, magnitude = complex_as_magnitude(data, path)
    axis4 = "time" if data.ndim == 4 else ""
    warnings = [w for w in [unused_slope_warning(img), magnitude] if w]
    if data.ndim > 4:
        data, axis4, note = _vector_components(data, path)
        warnings += [note] if note else []
    affine = np.asarray(img.affine, dtype=float)
    modality, said = sidecar_modality(path)   # dcm2niix's T1w.json: "Modality": "MR"
    unit = "HU" if modality == "CT" else ""   # dcm2niix writes a CT's rescale as scl_slope/inter
    header = _header_metadata(img)
    if not unit and data.ndim == 3 and sidecar_names_adc(path):
        unit = adc_unit(data)   # an ADC map (its sidecar's ImageType): ×10⁻⁶ mm²/s...
    elif not unit and data.ndim == 3 and not sidecar_names_kind(path) and any(
            names_adc(text, "") for text in (_stem(path), header.get("descrip", ""))):
        unit, told = unit_from_values(data, os.path.basename(path))   # dcm2niix's _ADC alone
        warnings += [told] if told else []
    warnings += [said] if said else []
    padding = padding_read_as_air(data, affine)   # -3024 outside the field of view: air
    frames, note = frame_metadata(img, path, data.shape[3] if axis4 == "time" else 1)
    return Volume(
        array=data,
        ijk_to_ras=affine,
        modality=modality,
        intensity_unit=unit,
        description=_stem(path),
        axis4=axis4,
        source_path=path,
        source_metadata=header | frames | _said_body_part(path) | sidecar_echo(path)
        | sidecar_frame_times(path, data.shape[3] if axis4 == "time" else 1),
        warnings=warnings + ([note] if note else []),
        padding=padding,
    )


def _said_body_part(path: str) -> dict:
    """``{"BodyPartExamined": "KNEE"}`` from dcm2niix's sidecar (``"BodyPart": "KNEE"``), as a
    DICOM series' header gives it; ``{}`` where it names none."""
    part = sidecar_body_part(path)
    return {"BodyPartExamined": part} if part else {}


def _vector_components(data: np.ndarray, path: str) -> tuple[np.ndarray, str, str]:
    """A NIfTI of 5 or more dimensions (dim[5]: the components of a vector at each voxel, as in
    a displacement field; dim[4]: time) as ``(array, axis4, warning)``: one time point of N
    components opens as a 4D image of ``"component"`` axis (ITK-SNAP's component chooser); a
    time series of vectors keeps its time points, component 1 of each, and says so. Dimensions
    past the 5th are read at their first index. They were flattened into one axis that the
    window called time points."""
    name = os.path.basename(path)
    extra = data.ndim - 5
    data = data[(slice(None),) * 5 + (0,) * extra]
    n_times, n_components = data.shape[3], data.shape[4]
    more = f" (dimensions 6-{data.ndim + extra} read at their first index)" if extra else ""
    if n_times == 1:
        return data[:, :, :, 0, :], "component" if n_components > 1 else "", (
            f"{name}: a 5D NIfTI{more}" if more else "")
    return data[:, :, :, :, 0], "time", (
        f"{name}: a time series of vectors with {n_components} components: each time point shows "
        f"component 1{more}")


SHEAR_TOLERANCE_MM = 0.01
"""A grid whose nearest shear-free grid moves a voxel further than this has no qform."""


def qform_code(shape, ijk_to_ras: np.ndarray) -> int:
    """1 (scanner space) where a qform can hold ``ijk_to_ras`` for a grid of ``shape``, else 0.

    A qform is a rotation: it cannot hold the shear of a gantry-tilted CT. nibabel would write
    the nearest rotation (the slices tilted half-way back, corner voxels 34 mm off on a 20
    degree tilt over a 205 mm field of view), which ITK (SimpleITK, ANTs, ITK-SNAP) reads in
    place of the sform it cannot hold. Code 0 leaves those readers nothing to misplace voxels
    with: ITK refuses the file ("ITK only supports orthonormal direction cosines"); nibabel,
    FSL and FreeSurfer read the sform as before."""
    grid = (tuple(shape[:3]) + (1, 1, 1))[:3]
    return 1 if shear_mm(grid, ijk_to_ras) <= SHEAR_TOLERANCE_MM else 0


def save_nifti(array: np.ndarray, ijk_to_ras: np.ndarray, path: str | os.PathLike,
               description: str = "", atomic: bool = True, durable: bool = True,
               frame_interval_s: float = 0.0) -> Path:
    """Write ``array`` with affine ``ijk_to_ras`` to ``path`` (.nii or .nii.gz) atomically.
    ``frame_interval_s``: a 4D run's seconds between volumes, written in ``pixdim[4]`` (units mm
    and s), as dcm2niix writes a run's.

    ``atomic=False`` writes ``path`` in place (for a temporary the caller renames itself).
    ``durable=False``: atomic but not fsynced, for derived files only (see
    :func:`neuroview.core.atomic.atomic_path`).

    The sform holds the affine (code 1, scanner space); the qform too (code 1) where it can
    (:func:`qform_code`), so readers that prefer either agree on the geometry.
    """
    import nibabel as nib

    path = Path(path)
    if not str(path).lower().endswith((".nii", ".nii.gz")):
        raise SaveError("can only write .nii or .nii.gz", path=path)
    array = np.asarray(array)
    # 64-bit integers are kept (NIfTI codes 1024, 1280): nibabel refuses to guess them, and a
    # file holding them (a label map from another tool) failed in 'convert' as an internal error
    wide = array.dtype if array.dtype in (np.int64, np.uint64) else None
    img = nib.Nifti1Image(array, np.asarray(ijk_to_ras, dtype=float), dtype=wide)
    img.set_sform(img.affine, code=1)
    img.set_qform(img.affine, code=qform_code(img.shape, img.affine))
    if not img.header["qform_code"]:  # no rotation left behind for a reader that ignores the code
        for field in ("quatern_b", "quatern_c", "quatern_d", "qoffset_x", "qoffset_y", "qoffset_z"):
            img.header[field] = 0
    if frame_interval_s > 0 and array.ndim == 4:
        img.header.set_xyzt_units("mm", "sec")
        img.header["pixdim"][4] = frame_interval_s
    if description:
        img.header["descrip"] = description[:79].encode("ascii", "replace")
    try:
        with atomic_path(path, durable=durable) if atomic else contextlib.nullcontext(path) as tmp:
            if not _write_nii_in_one_pass(img, tmp, gzipped=str(path).lower().endswith(".gz")):
                nib.save(img, tmp)
    except OSError as exc:
        raise SaveError(f"cannot write file ({exc.strerror or exc})", path=path) from None
    return path


THREADED_GZIP_MIN_BYTES = 8 << 20
"""From this size on a .nii.gz is compressed by several threads (ISA-L's igzip_threaded)."""


def gzip_writer(path: Path, nbytes: int = 0):
    """A gzip stream at level 1 (nibabel's level), through ISA-L's igzip when ``isal`` is
    installed: 13x faster than zlib on 12 MB of int16 noise here, and as small. From
    :data:`THREADED_GZIP_MIN_BYTES` on, 1 MB blocks are compressed in parallel threads (as pigz
    does; ISA-L releases the GIL), one gzip member all the same. Any gzip reader reads it;
    ``mtime=0`` and no file name in the gzip header keep the file identical from run to run, as
    nibabel's ``DeterministicGzipFile`` does (the name given here is a temporary file's, random:
    two saves of one image differed in it until session 50)."""
    try:
        from isal import igzip, igzip_threaded
    except ImportError:
        return _nameless(gzip.GzipFile, path)
    threads = min(4, os.cpu_count() or 1)
    if threads > 1 and nbytes >= THREADED_GZIP_MIN_BYTES:
        return igzip_threaded.open(path, "wb", compresslevel=1, threads=threads)
    return _nameless(igzip.IGzipFile, path)


class _nameless:
    """``gzip_file`` (``gzip.GzipFile`` or ISA-L's) writing ``path`` at level 1, with ``mtime=0``
    and an empty file name in its header; closes the file it opened (a ``with`` block's writer)."""

    def __init__(self, gzip_file, path: Path) -> None:
        self.raw = open(path, "wb")
        try:
            self.out = gzip_file(filename="", mode="wb", fileobj=self.raw, compresslevel=1, mtime=0)
        except BaseException:
            self.raw.close()
            raise

    def write(self, data) -> int:
        return self.out.write(data)

    def close(self) -> None:
        try:
            self.out.close()
        finally:
            self.raw.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _write_nii_in_one_pass(img, tmp: Path, gzipped: bool = False) -> bool:
    """Write a single-file NIfTI as ``nib.save`` would, with the voxels in one write.

    nibabel writes the data slice by slice, each through a ``tobytes()`` copy (a third of
    ``neuroview convert``'s time on a 157 MB CT), which holds Python's interpreter lock: of a
    C-ordered label map (the window's) each slice is gathered voxel by voxel, 0.4 s of a 256^3
    map's save during which the GUI thread waited for the lock at every turn. When the array is
    laid out as the file stores it (Fortran order, native byte order, the header's dtype, no
    scaling), the same bytes go out in a single ``write`` of the array's memory; a C-ordered
    array in pieces of about :data:`PIECE_BYTES` (:func:`fortran_pieces`). The header comes from
    nibabel's own steps (``update_header``, its array writer's slope/intercept), so a ``.nii``
    is byte-identical to ``nib.save``'s and a ``.nii.gz`` decompresses to the same bytes
    (tested); ``gzipped`` compresses with :func:`gzip_writer`. Returns False, writing nothing,
    when the fast path does not apply.
    """
    from nibabel.arraywriters import get_slope_inter, make_array_writer

    data = img.dataobj
    if not (isinstance(data, np.ndarray) and (data.flags.f_contiguous or data.flags.c_contiguous)
            and data.dtype.isnative and data.size > 0):
        return False
    img.update_header()
    header = img.header
    if header.get_data_dtype() != data.dtype:
        return False
    writer = make_array_writer(data, header.get_data_dtype(), header.has_data_slope,
                               header.has_data_intercept)
    if writer.scaling_needed() or get_slope_inter(writer) != (1.0, 0.0):
        return False
    header = header.copy()
    header.set_slope_inter(1.0, 0.0)
    head = io.BytesIO()
    header.write_to(head)  # sets vox_offset (352 plus extensions) as nib.save does
    offset = header.get_data_offset()
    if head.tell() > offset:
        return False
    head.write(b"\0" * (offset - head.tell()))
    with (gzip_writer(tmp, data.nbytes) if gzipped else open(tmp, "wb")) as handle:
        handle.write(head.getvalue())
        for piece in fortran_pieces(data):
            handle.write(piece)
    return True


PIECE_BYTES = 1 << 20
"""Bytes of a C-ordered array put in NIfTI's order at a time (:func:`fortran_pieces`)."""


def fortran_pieces(data: np.ndarray):
    """The bytes of the contiguous array ``data`` in Fortran order (the first index fastest, as
    NIfTI stores voxels): an F-ordered array's memory in one piece; a C-ordered one's a few of
    its last index's planes at a time (about :data:`PIECE_BYTES`), each copied into that order
    by numpy, which lets go of the interpreter lock while it copies (``tobytes`` does not)."""
    if data.flags.f_contiguous:   # data.T is C-contiguous and its bytes run i fastest
        yield memoryview(data.T).cast("B")
        return
    plane = data.nbytes // data.shape[-1]
    step = max(1, PIECE_BYTES // max(1, plane))
    for start in range(0, data.shape[-1], step):
        # the slab as stored (runs of its last index), then transposed in the cache: 1.5x less
        # CPU than gathering it through the whole array's strides at once
        slab = np.ascontiguousarray(data[..., start:start + step])
        yield memoryview(np.ascontiguousarray(slab.T)).cast("B")


def save_volume(volume: Volume, path: str | os.PathLike, durable: bool = True) -> Path:
    """Write a :class:`Volume` as NIfTI without its source metadata (``durable``: see
    :func:`save_nifti`)."""
    # a CT NIfTI's padding is written as the file's number, not as the air it is read as
    return save_nifti(np.asarray(volume.file_array()), volume.ijk_to_ras, path, durable=durable,
                      frame_interval_s=frame_interval_s(volume))


def frame_interval_s(volume: Volume) -> float:
    """The seconds between a run's volumes its file or series gave (``frame_interval_s``, see
    :mod:`neuroview.io.nifti_frames`); 0 where none."""
    try:
        return max(float((volume.source_metadata or {}).get("frame_interval_s", 0)), 0.0)
    except (TypeError, ValueError):
        return 0.0


def _stem(path: str) -> str:
    name = Path(path).name
    for suffix in (".nii.gz", ".nii", ".mgz", ".mgh", ".nrrd", ".nhdr", ".hdr", ".img", ".mha",
                   ".mhd"):
        if name.lower().endswith(suffix):
            return name[: -len(suffix)]
    return name

