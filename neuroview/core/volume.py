"""The image a user looks at: a voxel array placed in RAS millimetres.

``Volume.array`` is indexed ``[i, j, k]`` (plus an optional fourth axis for time or channels),
exactly as nibabel returns it. ``ijk_to_ras`` is the 4x4 affine to world space. The source's own
header fields (DICOM tags, NIfTI header) live in ``source_metadata`` apart from everything else, so
that de-identification can drop them in one place. Views slice ``array``; they never copy it.
"""

from __future__ import annotations

import math
import weakref
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from . import geometry, image_keys, made_up, modality
from .errors import GeometryError

DISPLAY_FIELDS = ("modality", "intensity_unit", "display_inverted", "header_window",
                  "more_header_windows")
"""What says how an image is drawn and what a model reads from it: :meth:`Volume.derived` gives
them to every image made from another (a follow-up study on the baseline grid, a channel of a
training case), so a new flag added here travels with them all."""


@dataclass(repr=False)
class Volume:
    """A voxel array placed in RAS millimetres (see the module's text).

    Its ``repr`` (and so ``str``, a log line, a traceback) shows the geometry only: the
    description, the source path and the header fields may name the patient."""

    array: np.ndarray
    ijk_to_ras: np.ndarray
    modality: str = ""
    """``MR``, ``CT``, ``PT``... or empty when the file does not say."""
    intensity_unit: str = ""
    """``HU`` for CT after rescale, empty (arbitrary units) for most MR."""
    description: str = ""
    """Human-readable name: the series description or the file name."""
    axis4: str = ""
    """Meaning of the 4th array axis when present: ``time``, ``channel`` (a colour or
    multi-channel image) or ``component`` (the components of a vector field, a 5D NIfTI)."""
    source_path: str = ""
    source_metadata: dict[str, Any] = field(default_factory=dict)
    """Fields copied from the source file's header; may identify the patient."""
    warnings: list[str] = field(default_factory=list)
    display_inverted: bool = False
    """Drawn with the lowest value white (DICOM MONOCHROME1, Presentation LUT Shape INVERSE); the
    values stay as stored."""
    header_window: tuple[float, float] | None = None
    """``(window width, level)`` the file asks to be shown with (DICOM WindowWidth and
    WindowCenter), in the voxels' units; ``None`` when it names none."""
    more_header_windows: tuple[tuple[float, float], ...] = ()
    """The file's other windows, after :attr:`header_window` (a CT's bone window beside its
    soft-tissue one), the same way."""
    padding: Any = None
    """A CT NIfTI's or NRRD's padding outside the field of view, read as air
    (``core.ct_padding.Padding``: its number and where it was, for writing the file's numbers
    back), else ``None``."""
    outside_scan: Any = None
    """Where a DICOM series' padding (PixelPaddingValue: outside the scanned field of view) was
    read as air, as :attr:`padding` records a NIfTI's (``core.ct_padding.Padding``; a series
    resampled onto even slices: where either slice a made-up one mixes was; a 4D series': every
    time point's, ``app.frames.frame_volume`` gives each its own), else ``None``; not written
    back (a DICOM series' padding is written as air)."""
    made_up_slices: tuple[int, ...] = ()
    """Slices along the third array axis (``k``, from 0) where no image was acquired: a series
    resampled onto even slices (``io.dicom.uneven``: a missing slice, uneven steps) made them up
    between its acquired neighbours (:meth:`made_up_at`)."""
    read_before: Any = None
    """A DICOM series' padding as neuroview before session 32 read it, where it now reads as air:
    ``core.image_keys.SampleAsRead``, for :meth:`older_keys`; else ``None``."""
    _ct_guess: tuple[weakref.ref, bool] | None = field(default=None, init=False, repr=False,
                                                        compare=False)
    """:meth:`voxels_look_like_ct` for the array the reference refers to."""
    _keys: tuple[weakref.ref, dict] | None = field(default=None, init=False, repr=False,
                                                    compare=False)
    """:meth:`remembered` answers (:meth:`workspace_key`, :meth:`sampled_key`, :meth:`older_keys`)
    of the array the reference refers to, by (kind, affine bytes). Both caches matched the array
    by ``id()`` until session 35: a new array made after the old one was freed may get its
    ``id`` (CPython reuses the memory), and got the old image's CT guess and workspace key (its
    crash journal)."""

    def __post_init__(self) -> None:
        if not hasattr(self.array, "ndim"):   # a list crashed on .ndim below, naming no argument
            raise TypeError(f"Volume: array must be a numpy array (np.asarray(...) makes one), "
                            f"not {type(self.array).__name__}")
        self.ijk_to_ras = np.asarray(self.ijk_to_ras, dtype=np.float64)
        if self.ijk_to_ras.shape != (4, 4):
            raise GeometryError(f"ijk_to_ras must be 4x4, got {self.ijk_to_ras.shape}")
        if self.array.ndim not in (3, 4):
            raise GeometryError(f"a volume needs 3 or 4 array axes, got shape {self.array.shape}")
        source = self.source_path or self.description or None
        if not np.isfinite(self.ijk_to_ras).all():
            # NaN passed the singular test below (NaN < 1e-12 is false), and such a Volume
            # crashed the window where it was first drawn, far from where it was made
            raise GeometryError("the voxel-to-world matrix holds a non-finite number (NaN or "
                                "infinity), so no voxel can be placed", source)
        if abs(np.linalg.det(self.ijk_to_ras[:3, :3])) < 1e-12:
            raise GeometryError("ijk_to_ras is singular (zero voxel size or collinear axes)", source)

    def __repr__(self) -> str:
        spacing = tuple(round(float(s), 4) for s in self.spacing)
        return (f"Volume(shape={tuple(int(n) for n in self.array.shape)}, spacing={spacing}, "
                f"orientation={self.orientation_label}, dtype={self.array.dtype})")

    # -- shape and geometry ------------------------------------------------------------------
    @property
    def shape(self) -> tuple[int, int, int]:
        """The spatial shape ``(ni, nj, nk)``."""
        return tuple(int(n) for n in self.array.shape[:3])

    @property
    def n_frames(self) -> int:
        """Length of the 4th axis (1 for a plain 3D volume)."""
        return int(self.array.shape[3]) if self.array.ndim == 4 else 1

    @property
    def spacing(self) -> tuple[float, float, float]:
        return geometry.spacing_from_affine(self.ijk_to_ras)

    @property
    def ras_to_ijk(self) -> np.ndarray:
        return np.linalg.inv(self.ijk_to_ras)

    @property
    def orientation(self) -> str:
        """Three-letter code of the voxel axes, e.g. ``LPS`` or ``RAS``."""
        return geometry.orientation_code(self.ijk_to_ras)

    @property
    def is_oblique(self) -> bool:
        return geometry.is_oblique(self.ijk_to_ras)

    @property
    def orientation_label(self) -> str:
        """The orientation code, with ``(oblique)`` appended when the axes are tilted, or the
        plane and angle of a gantry tilt (:func:`.geometry.orientation_label`)."""
        return geometry.orientation_label(self.ijk_to_ras)

    @property
    def center_ras(self) -> np.ndarray:
        """RAS position of the centre of the voxel grid."""
        centre_ijk = (np.asarray(self.shape, dtype=float) - 1.0) / 2.0
        return geometry.apply_affine(self.ijk_to_ras, centre_ijk)

    @property
    def nbytes(self) -> int:
        return int(self.array.nbytes)

    # -- point conversion ----------------------------------------------------------------------
    def ijk_to_ras_points(self, ijk) -> np.ndarray:
        """Map voxel indices (``(..., 3)``, may be fractional) to RAS millimetres."""
        return geometry.apply_affine(self.ijk_to_ras, ijk)

    def ras_to_ijk_points(self, p_ras) -> np.ndarray:
        """Map RAS millimetres (``(..., 3)``) to fractional voxel indices."""
        return geometry.apply_affine(self.ras_to_ijk, p_ras)

    def ras_to_voxel(self, p_ras) -> tuple[int, int, int] | None:
        """Nearest voxel index of a RAS point (the voxel the views draw there: halfway points go
        to the +RAS side, :func:`geometry.nearest_ijk`), or ``None`` outside the grid."""
        return geometry.nearest_voxel(self.ras_to_ijk, self.shape, p_ras)

    def frame(self, index: int = 0) -> np.ndarray:
        """The 3D array of one time point/channel (a view, not a copy)."""
        return self.array if self.array.ndim == 3 else self.array[..., index]

    def frame_as_shown(self, index: int = 0) -> np.ndarray:
        """:meth:`frame` with the grey levels the views show, for a model: a MONOCHROME1 MR
        (:attr:`display_inverted`) turned over, its brightest value 0 (a float32 copy), as the
        same image stored as MONOCHROME2 reads (its background 0). A CT's Hounsfield units are
        what a CT model reads: a CT is not turned over, nor is :attr:`array` ever."""
        image = self.frame(index)
        if not self.display_inverted or self.intensity_unit == "HU":
            return image
        image = np.asarray(image, dtype=np.float32)
        return np.float32(np.nanmax(image)) - image

    def as_shown(self) -> Volume:
        """This image with :meth:`frame_as_shown`'s grey levels, for tools that compute on them
        (follow-up registration, brain masks, a training set's NIfTI, which cannot say "shown
        inverted"): a MONOCHROME1 MR turned over and no longer :attr:`display_inverted`, the
        same as its MONOCHROME2 twin; any other image is returned as it is."""
        if not self.display_inverted or self.intensity_unit == "HU":
            return self
        frames = [self.frame_as_shown(i) for i in range(self.n_frames)]
        array = frames[0] if self.array.ndim == 3 else np.stack(frames, axis=-1)
        top = float(np.nanmax(self.frame(0)))   # the file's windows, turned with the values
        window = self.header_window
        if window is not None:
            window = (window[0], top - window[1])
        more = tuple((width, top - level) for width, level in self.more_header_windows)
        return replace(self, array=array, display_inverted=False, header_window=window,
                       more_header_windows=more,
                       warnings=list(self.warnings))

    def derived(self, array: np.ndarray, ijk_to_ras=None, **fields) -> Volume:
        """A new image made from this one (resampled onto another grid, one channel of it,
        de-identified): ``array`` on ``ijk_to_ras`` (this one's grid without), drawn and read
        as this one (:data:`DISPLAY_FIELDS`: a MONOCHROME1 copy is still shown inverted), and
        nothing of the source file (path, header fields, padding); ``fields`` set the rest."""
        display = {name: getattr(self, name) for name in DISPLAY_FIELDS}
        if np.ndim(array) == 4 and self.array.ndim == 4:
            display["axis4"] = self.axis4
        return Volume(array, self.ijk_to_ras if ijk_to_ras is None else ijk_to_ras,
                      **{**display, **fields})

    def file_array(self) -> np.ndarray:
        """The voxels as a file written from this image holds them: :attr:`array`, with a CT
        NIfTI's or NRRD's padding number back where it is read as air (a copy then)."""
        return self.array if self.padding is None else self.padding.restored(self.array)

    def outside_scan_at(self, index: tuple) -> np.ndarray | None:
        """Whether each voxel of ``index`` (three arrays of i, j, k) is padding outside the scanned
        field of view (:attr:`padding`, :attr:`outside_scan`), or ``None`` where nothing records
        it (an image with no padding, or another array than the one it was found in)."""
        for record in (self.padding, self.outside_scan):
            if record is not None and record.found_in(self.array):
                return record.padded_at(index)
        return None

    def made_up_at(self, p_ras, normal) -> bool:
        """Whether the plane through ``p_ras`` (RAS mm) across unit ``normal`` shows a slice of
        :attr:`made_up_slices`: the plane lies along the acquired slices (one ``k`` all over it)
        and on such a slice, or between it and its neighbour (drawn mixed); or it is turned a few
        degrees off them (a registered series: ``core.made_up``) and most of it shows one."""
        if not self.made_up_slices:
            return False
        if not self._along_slices(normal):
            return made_up.near_slices(self, normal) and made_up.mostly_made_up(
                self, made_up.plane_points(self, p_ras, normal))
        k = float(self.ras_to_ijk_points(np.asarray(p_ras, float))[2])
        return bool({math.floor(k + 1e-6), math.ceil(k - 1e-6)} & set(self.made_up_slices))

    def made_up_within(self, p_ras, normal, thickness_mm: float) -> bool:
        """Whether a thick slab ``thickness_mm`` across, centred on the plane through ``p_ras``
        across unit ``normal``, takes in a slice of :attr:`made_up_slices`: the plane lies along
        the acquired slices (or a few degrees off them, most of it then) and such a slice's
        centre lies within ``thickness_mm / 2`` of it (the voxel slices ``render.slab``
        combines)."""
        if not self.made_up_slices:
            return False
        half = 0.5 * thickness_mm * abs(float(self.ras_to_ijk[2, :3] @ np.asarray(normal, float)))
        if not self._along_slices(normal):
            return made_up.near_slices(self, normal) and made_up.mostly_made_up(
                self, made_up.plane_points(self, p_ras, normal), half)
        k = float(self.ras_to_ijk_points(np.asarray(p_ras, float))[2])
        return any(k - half - 1e-6 <= s <= k + half + 1e-6 for s in self.made_up_slices)

    def _along_slices(self, normal) -> bool:
        """Whether a plane across unit ``normal`` lies along the acquired slices."""
        columns = self.ijk_to_ras[:3, :3]
        across = np.cross(columns[:, 0], columns[:, 1])   # the acquired slices' normal
        return abs(float(np.asarray(normal, float) @ across)) >= (1 - 1e-6) * np.linalg.norm(across)

    def is_ct(self) -> bool:
        """CT by its header (modality, Hounsfield unit) or, with no modality (a NIfTI), by its
        voxels (:meth:`voxels_look_like_ct`: HU range, soft tissue, air or bone)."""
        return self.intensity_unit == "HU" or self.modality == "CT" or (
            not self.modality and self.voxels_look_like_ct())

    def voxels_look_like_ct(self) -> bool:
        """Whether the first time point holds Hounsfield units by its voxels
        (:func:`.modality.looks_like_ct`), guessed once per array: opening an image asks it for
        the window, the presets and the 3D view (five passes over the same voxels before)."""
        array = self.array
        if self._ct_guess is None or self._ct_guess[0]() is not array:
            self._ct_guess = (weakref.ref(array), modality.looks_like_ct(self.frame(0)))
        return self._ct_guess[1]

    def workspace_key(self, cancel=None) -> str:
        """The key of this image's workspace: every voxel of time point 1 hashed as the file
        stores them (a CT's padding with its number, not as read as air), with the geometry
        (``core.image_keys.image_key``), and for a 4D image its shape and a sample of every
        time point (``image_keys.time_points_key``), once per array: the loader computes it in
        its worker, so the window opening the image does not (0.2-0.4 s of CPU for 512x512x400)."""
        first = self.first_time_point_key(cancel)
        if self.array.ndim == 3:
            return first
        return self.remembered("time points", lambda: image_keys.time_points_key(first, self.array))

    def first_time_point_key(self, cancel=None) -> str:
        """The key of time point 1 alone: a 3D image's :meth:`workspace_key`, and a 4D image's
        until session 50 (its kept state is found by it: :meth:`older_keys`, ``app.kept_keys``)."""
        return self.remembered("full", lambda: image_keys.image_key(
            self.frame(0), self.ijk_to_ras, cancel, self.padding))

    def sampled_key(self) -> str:
        """The key workspaces written before session 33 carry (``core.image_keys.sampled_key``),
        of the voxels as the file stores them, as that neuroview read them."""
        return self.remembered("sampled", lambda: image_keys.sampled_key(
            self.frame(0), self.ijk_to_ras, padding=self.padding))

    def older_keys(self, cancel=None) -> tuple[str, ...]:
        """The keys older neuroviews named this image's workspace by, other than
        :meth:`workspace_key`: for a CT whose padding reads as air, the key of every voxel as
        read (sessions 33-34 hashed those); the :meth:`sampled_key` (before session 33), and for
        such a CT that of the voxels as read (session 33, before its full key); for a 4D image,
        first, the key of its time point 1 alone (before session 50); for a DICOM
        series whose padding reads as air, the sampled key of its padding read as a number
        (:attr:`read_before`: before session 32)."""
        keys = [self.sampled_key()]
        if self.padding is not None:
            frame, affine = self.frame(0), self.ijk_to_ras
            read = self.remembered("read", lambda: image_keys.image_key(frame, affine, cancel))
            keys = [read, self.sampled_key(),
                    self.remembered("sampled read", lambda: image_keys.sampled_key(frame, affine))]
        if self.array.ndim == 4:
            keys.insert(0, self.first_time_point_key(cancel))
        if self.read_before is not None:
            keys.append(self.remembered("read before",
                                        lambda: self.read_before.key(self.array, self.ijk_to_ras)))
        return tuple(dict.fromkeys(key for key in keys if key))

    def remembered(self, kind: str, make):
        """``make()``, computed once for this array on this grid (by ``kind``): the keys above,
        and facts of the voxels asked on every mouse move (``app.view_presets.not_hounsfield``,
        which samples 2 M voxels for their minimum)."""
        array, mark = self.array, (kind, self.ijk_to_ras.tobytes())
        if self._keys is None or self._keys[0]() is not array:
            self._keys = (weakref.ref(array), {})
        keys = self._keys[1]
        if mark not in keys:
            for old in [k for k in keys if k[1] != mark[1]]:   # the affine changed
                del keys[old]
            keys[mark] = make()
        return keys[mark]

    def summary(self) -> dict[str, Any]:
        """Facts for ``neuroview info`` and the GUI (no identifying metadata)."""
        return {
            "description": self.description,
            "modality": self.modality,
            "shape": self.array.shape,
            "spacing": self.spacing,
            "orientation": self.orientation_label,
            "dtype": str(self.array.dtype),
            "unit": self.intensity_unit,
            "warnings": list(self.warnings),
        }


def not_a_volume(what: str, value: Any) -> TypeError:
    """The one-line error for an API argument that should have been a :class:`Volume` (a bare
    numpy array, most often, which failed later on ``.ijk_to_ras`` or ``.frame_as_shown``)."""
    given = "an empty list" if isinstance(value, (list, tuple)) and not value else type(value).__name__
    return TypeError(f"{what} must be a neuroview Volume, not {given}: "
                     f"Volume(array, ijk_to_ras) makes one (neuroview.core.volume)")


def model_input_problem(volume: Volume, masks: bool = True) -> str:
    """Why a model cannot take ``volume``'s voxels (else ""). Complex ones: numpy dropped the
    imaginary part with only a ComplexWarning from deep inside, and the model saw the real part.
    ``masks=False``: boolean ones too (a mask passed for its image), where the lesion model
    answered 'brain everywhere, no lesion' without a word (an AI click on a mask is fine)."""
    if np.iscomplexobj(volume.array):
        return (f"the image holds complex numbers ({volume.array.dtype}): give a model its "
                f"magnitude, Volume(np.abs(array), ijk_to_ras)")
    if not masks and volume.array.dtype == bool:
        return "the image is a boolean array (a mask?): a model needs the image's intensities"
    return ""
