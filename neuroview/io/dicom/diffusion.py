"""The b-value of each volume of a DICOM diffusion series, read as dcm2niix reads it.

Where dcm2niix (nii_dicom.cpp) finds a volume's b-value, in the order it lets one replace another:

- ``DiffusionBValue`` (0018,9087, FD; dcm2niix's ``kDiffusion_bValue``): a classic file's top
  level, or an enhanced file's ``MRDiffusionSequence`` (0018,9117) in the frame's own functional
  group, else the shared one;
- Siemens' private (0019,100C) (IS, "SIEMENS MR HEADER"; ``kDiffusion_bValueSiemens``), else
  the B_value of its CSA image header (0029,1010, read by nibabel's ``csareader``; a file
  whose 0019 group an export stripped keeps it: dcm2niix reads it, neuroview since session
  46), only where Manufacturer says SIEMENS;
- GE's private (0043,1039) (IS, "GEMS_PARM_01", ``kDiffusion_bValueGE``), only where
  Manufacturer says GE: its first value; a value above 10000 carries a flag in its billions
  (1000001000 is b = 1000), taken off as dcm2niix takes it (tried on dcm2niix 1.0.20260724:
  1000001000 and 2000001000 give 1000, 20000 and 1000000 stay as they are);
- Philips' private (2001,1003) (FL, "Philips Imaging DD 001", ``kDiffusion_bValuePhilips``),
  only where Manufacturer says Philips;
- UIH's private (0065,1009) (FD, "Image Private Header"), only where Manufacturer says UIH
  (tried on dcm2niix 1.0.20260724: it wins over a DiffusionBValue in the same file).

A vendor's private value wins over the standard one (GE leaves 0018,9087 out of its b = 0
images; dcm2niix reads the private element after the standard one and keeps the last), except
in an enhanced file whose frame's MRDiffusionSequence gives one: that frame is read from it
alone (a private element at the file's top level describes one frame at most). A volume
with none of them, in a series whose other volumes have one, is b = 0 (dcm2niix's value for a
Philips b = 0 volume written without its b-value). Volume t's b-value is read from its first
slice (``plan.frames[0][t]``, also a mosaic's file).
"""

from __future__ import annotations

import re
import struct
import warnings
from typing import Optional

SIEMENS_B_VALUE = 0x0019100C
GE_B_VALUE = 0x00431039
PHILIPS_B_VALUE = 0x20011003
UIH_B_VALUE = 0x00651009
GE_FLAG_ABOVE = 10000
"""A GE value above this carries a flag in its billions (dcm2niix's rule)."""
GE_FLAG = 1_000_000_000


def _vendor(ds) -> str:
    maker = str(ds.get("Manufacturer") or "").strip().upper()
    if "SIEMENS" in maker:
        return "siemens"
    if maker.startswith("GE") or "GENERAL ELECTRIC" in maker:
        return "ge"
    if "PHILIPS" in maker:
        return "philips"
    if maker.startswith("UIH") or "UNITED IMAGING" in maker:
        return "uih"
    if "CANON" in maker or "TOSHIBA" in maker:
        return "canon"
    return ""


def _number(value, binary: str = "") -> Optional[float]:
    """The first number of an element's value: a pydicom number or list, or text / bytes as an
    implicit-VR file without pydicom's private dictionary leaves them (``binary``: the struct
    format of a binary VR such as FL)."""
    if isinstance(value, (bytes, bytearray)):
        if binary:
            size = struct.calcsize(binary)
            return float(struct.unpack(binary, bytes(value[:size]))[0]) if len(value) >= size else None
        value = bytes(value).decode("ascii", "replace").strip("\x00 ").split("\\")[0]
    elif isinstance(value, str):
        value = value.split("\\")[0]
    else:
        try:
            value = value[0] if len(value) else None
        except TypeError:
            pass
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if number == number and abs(number) != float("inf") else None


def _private(ds, tag: int, binary: str = "") -> Optional[float]:
    element = ds.get(tag)
    return None if element is None else _number(element.value, binary)


def _frame_item(ds, frame: Optional[int]):
    """The ``MRDiffusionSequence`` item of an enhanced file's frame (its own, else the shared
    one), or ``None``."""
    groups = []
    if frame is not None:
        per_frame = ds.get("PerFrameFunctionalGroupsSequence")
        if per_frame is not None and frame < len(per_frame):
            groups.append(per_frame[frame])
    shared = ds.get("SharedFunctionalGroupsSequence")
    if shared:
        groups.append(shared[0])
    for group in groups:
        sequence = group.get("MRDiffusionSequence")
        if sequence:
            return sequence[0]
    return None


def b_value(ds, frame: Optional[int] = None) -> Optional[float]:
    """The b-value (s/mm²) of frame ``frame`` of the pydicom dataset ``ds`` (``None``: a
    single-frame file), by dcm2niix's rules (module docstring); ``None`` where none is given."""
    item = _frame_item(ds, frame) if frame is not None or "SharedFunctionalGroupsSequence" in ds \
        else None
    if item is not None and item.get("DiffusionBValue") is not None:
        return _number(item.get("DiffusionBValue"))  # the frame's own: see the module docstring
    value = _number(ds.get("DiffusionBValue")) if ds.get("DiffusionBValue") is not None else None
    vendor = _vendor(ds)
    if vendor == "siemens":
        value = _first_set(_private(ds, SIEMENS_B_VALUE), _csa_number(ds, "B_value"), value)
    elif vendor == "ge":
        ge = _private(ds, GE_B_VALUE)
        if ge is not None and ge > GE_FLAG_ABOVE:
            ge = ge % GE_FLAG
        value = _first_set(ge, value)
    elif vendor == "philips":
        value = _first_set(_private(ds, PHILIPS_B_VALUE, "<f"), value)
    elif vendor == "uih":
        value = _first_set(_private(ds, UIH_B_VALUE, "<d"), value)
    return value


SIEMENS_DIRECTION = 0x0019100E
PHILIPS_DIRECTION = (0x200510B0, 0x200510B1, 0x200510B2)
UIH_DIRECTION = 0x00651037
GE_DIRECTION = (0x001910BB, 0x001910BC, 0x001910BD)
NO_DIRECTION = "no direction"
""":func:`gradient_lps`'s answer for a file whose vendor's vectors are not read (GE's, but
for the case :func:`_ge_direction` reads)."""


def gradient_lps(ds, frame: Optional[int] = None):
    """The diffusion gradient direction of a frame in patient coordinates (LPS), as dcm2niix
    reads it: the standard DiffusionGradientOrientation (0018,9089) (top level, in
    DiffusionGradientDirectionSequence, or an enhanced frame's MRDiffusionSequence), else
    Siemens' (0019,100E) (else its CSA header's DiffusionGradientDirection) or Philips'
    (2005,10B0-10B2), vendor values winning (tried against
    dcm2niix 1.0.20260724 on axial, sagittal and oblique series: its ``.bvec`` is these
    vectors in its NIfTI's voxel axes), or UIH's (0065,1037), which is along the image's row,
    column and slice normal (dcm2niix writes it so in any plane; UIH writes 0018,9089 unrotated,
    dcm2niix's issue 836), or Canon's text in ImageComments where the standard one is absent
    (:func:`_canon_direction`). ``None`` where none is given; :data:`NO_DIRECTION` for a GE file
    but in the one case :func:`_ge_direction` reads, and for Canon's text but in the case
    :func:`_canon_direction` reads."""
    vendor = _vendor(ds)
    if vendor == "ge":
        vector = _ge_direction(ds)
        return NO_DIRECTION if vector is None else vector
    item = _frame_item(ds, frame) if frame is not None or "SharedFunctionalGroupsSequence" in ds \
        else None
    if item is not None and item.get("DiffusionBValue") is not None:
        return _standard_direction(item)  # the frame's own: see the module docstring
    vector = _standard_direction(ds)
    if vendor == "siemens":
        element = ds.get(SIEMENS_DIRECTION)
        value = None if element is None else element.value
        if isinstance(value, (bytes, bytearray)) and len(value) >= 24:
            value = struct.unpack("<3d", bytes(value[:24]))
        vector = _first_set(None if value is None else _three(value),
                            _three(_csa_items(ds, "DiffusionGradientDirection")), vector)
    elif vendor == "philips":
        parts = [_private(ds, tag, "<f") for tag in PHILIPS_DIRECTION]
        vector = _first_set(tuple(parts) if None not in parts else None, vector)
    elif vendor == "uih":
        vector = _first_set(_uih_direction(ds), vector)
    elif vendor == "canon" and vector is None:
        vector = _canon_direction(ds)
    return vector


def _csa_items(ds, name: str) -> list:
    """The values of ``name`` in a Siemens file's CSA image header, or ``[]``."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # nibabel calls its DICOM readers experimental
        from nibabel.nicom import csareader
    try:
        header = csareader.get_csa_header(ds, "image")
        return list(header["tags"][name]["items"]) if header else []
    except Exception:  # noqa: BLE001 - no such tag, or a CSA header nibabel cannot parse
        return []


def _csa_number(ds, name: str) -> Optional[float]:
    items = _csa_items(ds, name)
    return _number(items[0]) if items else None


def _ge_direction(ds):
    """GE's (0019,10BB-10BD), along the image's row, column and normal with the first two
    negated (as dcm2niix 1.0.20260724 reads them: tried on axial, axial flipped and oblique
    series), in LPS; only where dcm2niix's reading is validated: columns phase-encoded
    (InPlanePhaseEncodingDirection COL), slices nearer axial than any other plane, head first
    supine (or no PatientPosition). dcm2niix's own notes call rows phase-encoded and other
    planes untested, and it reads them by other rules (a file saying no phase-encoding
    direction by yet another): ``None`` there."""
    parts = [_private(ds, tag) for tag in GE_DIRECTION]
    axes = _validated_plane(ds)
    if None in parts or axes is None:
        return None
    row, column, normal = axes
    in_image = (-parts[0], -parts[1], parts[2])
    return tuple(in_image[0] * r + in_image[1] * c + in_image[2] * n
                 for r, c, n in zip(row, column, normal))


CANON_COMMENT = re.compile(r"b\s*=\s*[-+0-9.eE]+\s*\(\s*([-+0-9.eE]+)\s*,\s*([-+0-9.eE]+)\s*,"
                           r"\s*([-+0-9.eE]+)\s*\)")
"""Canon's diffusion text in ImageComments (0020,4000): ``b=1500(0.445,0.000,0.895)``."""


def _validated_plane(ds):
    """The file's row, column and normal where dcm2niix's reading of image-space gradient
    directions (GE's, Canon's) is validated: columns phase-encoded (InPlanePhaseEncodingDirection
    COL), slices nearer axial than any other plane, head first supine (or no PatientPosition);
    else ``None``."""
    position = str(ds.get("PatientPosition") or "HFS").strip().upper()
    encoded = str(ds.get("InPlanePhaseEncodingDirection") or "").strip().upper()
    axes = _image_axes(ds)
    if position != "HFS" or encoded != "COL" or axes is None:
        return None
    normal = axes[2]
    return None if abs(normal[2]) < max(abs(normal[0]), abs(normal[1])) else axes


def _canon_direction(ds):
    """Canon's gradient direction, written since its takeover of Toshiba as text in ImageComments
    alone (``b=1500(0.445,0.000,0.895)``), along the image's axes (dcm2niix's issue 422: its
    components in the order [Y, X, -Z]): the image's row, column and normal take the text's
    (-y, -x, z), as dcm2niix 1.0.20260724 reads it, in LPS. Only where that reading is
    validated (:func:`_validated_plane`; issue 422's datasets are all COL phase-encoded, and
    dcm2niix warns off axial planes, where its reading differs from plane to plane: a coronal
    series' row takes -y, a sagittal one's y): :data:`NO_DIRECTION` elsewhere. ``None`` where
    ImageComments holds no such text."""
    found = CANON_COMMENT.search(str(ds.get("ImageComments") or ""))
    if found is None:
        return None
    x, y, z = (float(part) for part in found.groups())
    axes = _validated_plane(ds)
    if axes is None:
        return NO_DIRECTION
    row, column, normal = axes
    return tuple(-y * r - x * c + z * n for r, c, n in zip(row, column, normal))


def _image_axes(ds):
    """The row, column and normal (row x column) directions of a classic file, or ``None``."""
    orientation = ds.get("ImageOrientationPatient")
    axes = None if orientation is None else (_three(orientation[:3]), _three(orientation[3:6]))
    if axes is None or None in axes:
        return None
    row, column = axes
    return row, column, (row[1] * column[2] - row[2] * column[1],
                         row[2] * column[0] - row[0] * column[2],
                         row[0] * column[1] - row[1] * column[0])


def _uih_direction(ds):
    """UIH's (0065,1037), along the image's row, column and normal, in LPS (by the file's
    ImageOrientationPatient); ``None`` without both."""
    element = ds.get(UIH_DIRECTION)
    value = None if element is None else element.value
    if isinstance(value, (bytes, bytearray)) and len(value) >= 24:
        value = struct.unpack("<3d", bytes(value[:24]))
    in_image = None if value is None else _three(value)
    axes = _image_axes(ds)
    if in_image is None or axes is None:
        return None
    row, column, normal = axes
    return tuple(in_image[0] * r + in_image[1] * c + in_image[2] * n
                 for r, c, n in zip(row, column, normal))


def _standard_direction(source):
    found = source.get("DiffusionGradientOrientation")
    sequence = source.get("DiffusionGradientDirectionSequence")
    if found is None and sequence:
        found = sequence[0].get("DiffusionGradientOrientation")
    return None if found is None else _three(found)


def _three(value):
    try:
        numbers = tuple(float(v) for v in value)
    except (TypeError, ValueError):
        return None
    return numbers if len(numbers) == 3 else None


def series_gradients(plan, b_values: list[float]) -> Optional[list[tuple]]:
    """The gradient direction (LPS) of each volume of ``plan`` (``(0, 0, 0)`` where b = 0), or
    ``None`` when a diffusion-weighted volume gives none (or its vendor's are not read)."""
    vectors = []
    for ref, b in zip(plan.frames[0], b_values):
        if not b:
            vectors.append((0.0, 0.0, 0.0))
            continue
        try:
            vector = gradient_lps(ref.dataset, ref.frame)
        except Exception:  # noqa: BLE001 - a damaged or vanished header: no .bvec
            return None
        if vector is None or vector == NO_DIRECTION:
            return None
        vectors.append(vector)
    return vectors


def directionless_note(b_values: list[float], vectors_lps: Optional[list[tuple]]) -> str:
    """The warning of a DWI whose volumes with b > 0 give the direction (0, 0, 0), as a GE
    series' combined (trace) image does: ``"volume 5 of 5: b = 1000 with no gradient direction
    (0 0 0 in the .bvec): ..."``; ``""`` where every one has a direction. dcm2niix writes such a
    volume as b = 0 (its issue 245), FSL and MRtrix take a b > 0 with no direction for neither."""
    if not vectors_lps:
        return ""
    lacking = [t for t, (b, v) in enumerate(zip(b_values, vectors_lps))
               if b and not any(v)]
    if not lacking:
        return ""
    numbers = ", ".join(str(t + 1) for t in lacking)
    values = sorted({f"{b_values[t]:g}" for t in lacking})
    return (f"{'volume' if len(lacking) == 1 else 'volumes'} {numbers} of {len(b_values)}: "
            f"b = {', '.join(values)} with no gradient direction (0 0 0 in the .bvec): the "
            "scanner's combined (trace) image, or a b = 0 volume (dcm2niix writes it as b = 0)")


def gradients_text(vectors_lps: list[tuple]) -> str:
    """``Volume.source_metadata["gradients_ras"]``: each volume's direction in RAS, 3 numbers a
    volume (LPS from the files, flipped here at the edge)."""
    return " ".join(f"{c + 0.0:g}" for x, y, z in vectors_lps for c in (-x, -y, z))  # no "-0"


def _first_set(*values):
    return next((v for v in values if v is not None), None)


def series_b_values(plan) -> Optional[list[float]]:
    """The b-value of each time point of ``plan`` (a 4D :class:`.series.StackPlan`), read from
    each volume's first slice; ``None`` for a 3D plan or one none of whose volumes gives one.
    A series whose first and last volumes give none is taken for no DWI (an fMRI run costs two
    headers, not one per volume)."""
    refs = plan.frames[0]
    if len(refs) < 2:
        return None
    first, last = _ref_b_value(refs[0]), _ref_b_value(refs[-1])
    if first is None and last is None:
        return None
    values = [first] + [_ref_b_value(ref) for ref in refs[1:-1]] + [last]
    return [0.0 if v is None else v for v in values]


def _ref_b_value(ref) -> Optional[float]:
    try:
        return b_value(ref.dataset, ref.frame)
    except Exception:  # noqa: BLE001 - a damaged or vanished header: that volume says nothing
        return None


def b_values_text(values: list[float]) -> str:
    """``"0 1000 1000"``: as ``Volume.source_metadata["bvals"]`` holds them (a NIfTI's too)."""
    return " ".join(f"{v:g}" for v in values)
