"""Vendor conventions of whole series (orientations, echoes, diffusion, fMRI runs, localisers and
derived images mixed in, missing slices), written by the test makers (tests/io/dicom/*_maker.py)
and converted by ``neuroview convert`` and by dcm2niix, compared as ``bench/dicom_sweep.py``
compares them (series paired by their voxels' RAS positions and values, 1e-3 mm; where either
writes a .bval, the b-values and the gradient directions brought to RAS)::

    same        <case>  <n> vs <n> series
    differs     <case>  <how>
    refused     <case>  neuroview: <its line> | dcm2niix: <its line>

``bench/dicom_conventions.py`` holds the conventions of single files and codecs;
``bench/vendor_series_makers.py`` the makers of the cases added in session 47.

    PYTHONPATH=. nice -n 5 python bench/dicom_vendor_series.py [--only SUBSTRING] [--keep FOLDER]
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[0] / "tests" / "io" / "dicom"))
sys.path.insert(0, str(HERE))
from dicom_conventions import _rewrite, _series, run_cases  # noqa: E402
from vendor_series_makers import (  # noqa: E402
    _by_position,
    canon_dwi_col,
    canon_enhanced_fmri,
    enhanced_compressed,
    enhanced_ct_rescale,
    enhanced_echoes,
    ge_echoes_interleaved,
    philips_stacks_run,
    rescale_per_frame,
    siemens_distortion_run,
    siemens_mosaic_distortion,
    siemens_normalize,
    xa_distortion,
    xa_rescale_per_frame,
)


def oriented(orientation: str, manufacturer: str = "SIEMENS", modality: str = "MR"):
    def make(folder: Path, mni) -> None:
        _series(folder, mni, orientation=orientation, modality=modality,
                extra=(("Manufacturer", manufacturer),))
    return make


def echoes(numbered: bool, manufacturer: str):
    def make(folder: Path, mni) -> None:
        """Three echoes at the same positions in one series (EchoNumbers 1-3, or none)."""
        import pydicom

        uid = pydicom.uid.generate_uid()
        for e in (1, 2, 3):
            _series(folder / f"e{e}", mni, series_uid=uid, echo_number=e if numbered else 0,
                    echo_time=4.2 * e, value_scale=1.0 - 0.2 * e, seed=e,
                    first_instance=1 + 6 * (e - 1), extra=(("Manufacturer", manufacturer),))
    return make


def classic_dwi(convention: str, orientation: str = "axial"):
    def make(folder: Path, mni) -> None:
        from dwi_maker import write_classic_dwi

        write_classic_dwi(folder, mni, convention, orientation)
    return make


def enhanced_dwi(manufacturer: str):
    def make(folder: Path, mni) -> None:
        from dwi_maker import write_enhanced_dwi

        write_enhanced_dwi(folder / "dwi.dcm", mni, manufacturer)
    return make


def fmri(manufacturer: str, acquisition_numbers: bool, ge_run_numbers: bool = False,
         orientation: str = "axial"):
    def make(folder: Path, mni) -> None:
        """4 volumes at the same positions, instance numbers running on from volume to volume;
        AcquisitionNumber 1-4 (Siemens) or 1 on all (GE, with its volume number in
        RawDataRunNumber (0019,10A2) where ``ge_run_numbers``)."""
        import pydicom

        uid = pydicom.uid.generate_uid()
        for t in range(4):
            extra = [("Manufacturer", manufacturer),
                     ("AcquisitionNumber", t + 1 if acquisition_numbers else 1)]
            if ge_run_numbers:
                extra += [(0x00190010, "LO", "GEMS_ACQU_01"), (0x001910A2, "SL", t + 1)]
            _series(folder / f"t{t}", mni, series_uid=uid, value_scale=1.0 - 0.1 * t, seed=t,
                    orientation=orientation, first_instance=1 + 6 * t, reverse_instances=False,
                    extra=tuple(extra))
    return make


def ge_interleaved(folder: Path, mni) -> None:
    """GE: instance numbers in acquisition order, odd slices first (1, 3, 5, 2, 4, 6), with
    their acquisition times; slices stored from head to foot (SpacingBetweenSlices -4, the sign
    some GE exports write)."""
    series = _series(folder, mni, extra=(("Manufacturer", "GE MEDICAL SYSTEMS"),))
    order = list(range(0, 6, 2)) + list(range(1, 6, 2))

    def stamp(ds, k):
        ds.InstanceNumber = order.index(k) + 1
        ds.AcquisitionTime = f"1010{10 + order.index(k):02d}"
        ds.SpacingBetweenSlices = "-4"
        ds.SliceLocation = f"{float(ds.ImagePositionPatient[2]):.3f}"

    _by_position(series, stamp)


def philips_classic_scale(folder: Path, mni) -> None:
    """Philips classic: RescaleSlope per slice, private scale slope (2005,100E) per slice."""
    series = _series(folder, mni, per_slice_slopes=(1.0, 1.5, 2.0, 2.5, 3.0, 3.5),
                     extra=(("Manufacturer", "Philips Medical Systems"),))

    def stamp(ds, k):
        ds.add_new(0x20050010, "LO", "Philips MR Imaging DD 001")
        ds.add_new(0x2005100E, "FL", 0.2 + 0.05 * k)
        ds.add_new(0x2005100D, "FL", 0.0)

    _by_position(series, stamp)


def philips_enhanced_rescale(folder: Path, mni) -> None:
    """Philips enhanced: RescaleSlope in each frame's own Pixel Value Transformation group."""
    from enhanced_maker import EnhancedSpec, write_enhanced

    written = write_enhanced(folder / "philips.dcm", mni, EnhancedSpec(
        rows=12, cols=10, n_slices=6, manufacturer="Philips Medical Systems",
        philips_scale=(0.4, 0.0), orientation="coronal"))
    rescale_per_frame(written.path, "normalized")


def xa_run(orientation: str):
    def make(folder: Path, mni) -> None:
        """Siemens XA: 3 Enhanced MR files of one volume each, a run of one series."""
        import pydicom
        from enhanced_maker import EnhancedSpec, write_enhanced

        uids = {k: pydicom.uid.generate_uid() for k in ("series_uid", "study_uid", "frame_uid")}
        for t in range(3):
            write_enhanced(folder / f"{t}.dcm", mni, EnhancedSpec(
                **uids, rows=12, cols=10, n_slices=5, orientation=orientation,
                orientation_per_frame=True, temporal_index=t + 1, instance=t + 1,
                acquisition_time=f"1010{10 + 2 * t}.00", value_scale=1.0 - 0.1 * t,
                extra={"SoftwareVersions": "syngo MR XA30A"}))
    return make


def enhanced_volume(manufacturer: str, orientation: str):
    def make(folder: Path, mni) -> None:
        from enhanced_maker import EnhancedSpec, write_enhanced

        write_enhanced(folder / "volume.dcm", mni, EnhancedSpec(
            rows=12, cols=10, n_slices=6, manufacturer=manufacturer, orientation=orientation,
            description="t2 tse"))
    return make


def mosaic(orientation: str, descending: bool):
    def make(folder: Path, mni) -> None:
        from mosaic_maker import write_mosaic_run

        write_mosaic_run(folder, mni, n_slices=7, n_volumes=2, orientation=orientation,
                         descending_normal=descending)
    return make


def uih(orientation: str, volumes: int):
    def make(folder: Path, mni) -> None:
        import pydicom
        from uih_maker import write_uih_mosaic

        uid = pydicom.uid.generate_uid()
        for t in range(volumes):
            write_uih_mosaic(folder / f"{t}.dcm", mni, n_slices=7, tile=12, orientation=orientation,
                             series_uid=uid, instance=t + 1, value_scale=1.0 - 0.1 * t)
    return make


def mixed_in(kind: str):
    def make(folder: Path, mni) -> None:
        """An axial series with, under its SeriesInstanceUID and number: a three-plane
        localiser (``localiser``), a coronal reformat (``reformat``, DERIVED\\SECONDARY\\MPR),
        or a derived image on its own grid (``subtraction``, DERIVED\\SECONDARY\\SUB)."""
        import pydicom

        uid = pydicom.uid.generate_uid()
        _series(folder / "axial", mni, series_uid=uid)
        if kind == "localiser":
            for n, plane in enumerate(("sagittal", "coronal", "axial")):
                _series(folder / f"loc{n}", mni, series_uid=uid, n_slices=1, orientation=plane,
                        rows=20, cols=20, first_instance=100 + n, seed=10 + n,
                        image_type=("ORIGINAL", "PRIMARY", "LOCALIZER"))
        elif kind == "reformat":
            _series(folder / "mpr", mni, series_uid=uid, orientation="coronal", first_instance=50,
                    image_type=("DERIVED", "SECONDARY", "MPR"), seed=3)
        else:
            _series(folder / "sub", mni, series_uid=uid, first_instance=50, value_scale=0.5,
                    image_type=("DERIVED", "SECONDARY", "SUB"), seed=3)
    return make


def missing(slices: tuple[int, ...], orientation: str = "axial"):
    def make(folder: Path, mni) -> None:
        _series(folder, mni, n_slices=12, missing=slices, orientation=orientation)
    return make


def duplicated_4d(folder: Path, mni) -> None:
    """A 2-volume run, one slice of the second volume stored twice (another file name)."""
    fmri("SIEMENS", True)(folder, mni)
    first = sorted((folder / "t1").glob("*.dcm"))[0]
    shutil.copy(first, first.with_name("copy_" + first.name))


def canon_ct(folder: Path, mni) -> None:
    """Canon CT, unsigned pixels with intercept -1024, feet first (slices stored downwards)."""
    series = _series(folder, mni, modality="CT", orientation="axial flipped",
                     extra=(("Manufacturer", "CANON_MEC"), ("PatientPosition", "FFS")))

    def unsigned(ds):
        ds.PixelData = (ds.pixel_array.astype(np.int32) + 1100).astype(np.uint16).tobytes()
        ds.PixelRepresentation, ds.RescaleIntercept = 0, "-1024"

    _rewrite(series.files, unsigned)


def philips_classic_fmri(folder: Path, mni) -> None:
    """Philips classic run: instance numbers slice by slice (every time point of slice 1, then
    of slice 2), the volume in TemporalPositionIdentifier only, AcquisitionNumber and times
    alike (as an anonymiser leaves them)."""
    import pydicom

    uid = pydicom.uid.generate_uid()
    for t in range(3):
        series = _series(folder / f"t{t}", mni, series_uid=uid, value_scale=1.0 - 0.1 * t, seed=t,
                         extra=(("Manufacturer", "Philips Medical Systems"),
                                ("AcquisitionNumber", 1)))

        def stamp(ds, k, t=t):
            ds.InstanceNumber = 1 + 3 * k + t
            ds.TemporalPositionIdentifier, ds.NumberOfTemporalPositions = t + 1, 3
            ds.AcquisitionTime = "101010.00"

        _by_position(series, stamp)


def cine(folder: Path, mni) -> None:
    """Siemens cardiac cine: 5 phases at the same positions, told apart by TriggerTime, one
    AcquisitionNumber, instance numbers running on."""
    import pydicom

    uid = pydicom.uid.generate_uid()
    for t in range(5):
        _series(folder / f"p{t}", mni, series_uid=uid, value_scale=1.0 - 0.1 * t, seed=t,
                first_instance=1 + 6 * t, orientation="oblique",
                extra=(("Manufacturer", "SIEMENS"), ("AcquisitionNumber", 1),
                       ("TriggerTime", f"{40 * t:g}")))


def multi_echo_fmri(folder: Path, mni) -> None:
    """2 echoes x 3 volumes in one series (EchoNumbers, AcquisitionNumber 1-3)."""
    import pydicom

    uid = pydicom.uid.generate_uid()
    for t in range(3):
        for e in (1, 2):
            _series(folder / f"t{t}e{e}", mni, series_uid=uid, echo_number=e, echo_time=12.0 * e,
                    value_scale=1.0 - 0.1 * t - 0.3 * (e - 1), seed=10 * t + e,
                    first_instance=1 + 6 * (2 * t + e - 1),
                    extra=(("Manufacturer", "SIEMENS"), ("AcquisitionNumber", t + 1)))


def rounded_orientation(folder: Path, mni) -> None:
    """GE: an oblique ImageOrientationPatient written to 4 decimals (not quite unit length)."""
    series = _series(folder, mni, orientation="oblique", n_slices=10,
                     extra=(("Manufacturer", "GE MEDICAL SYSTEMS"),))
    _rewrite(series.files, lambda ds: setattr(ds, "ImageOrientationPatient", [
        f"{float(x):.4f}" for x in ds.ImageOrientationPatient]))


def _philips_frames(path: Path, order) -> None:
    """Reorders the frames of an enhanced file (and their pixels) as ``order`` lists them."""
    import pydicom
    from pydicom.sequence import Sequence

    ds = pydicom.dcmread(path)
    frames = ds.pixel_array
    items = list(ds.PerFrameFunctionalGroupsSequence)
    ds.PerFrameFunctionalGroupsSequence = Sequence([items[i] for i in order])
    ds.PixelData = np.ascontiguousarray(frames[list(order)]).tobytes()
    ds.save_as(path)


def philips_enhanced_shuffled(folder: Path, mni) -> None:
    """Philips enhanced: frames stored out of position order (5, 2, 0, 4, 1, 3)."""
    from enhanced_maker import EnhancedSpec, write_enhanced

    written = write_enhanced(folder / "philips.dcm", mni, EnhancedSpec(
        rows=12, cols=10, n_slices=6, manufacturer="Philips Medical Systems",
        orientation="sagittal"))
    _philips_frames(written.path, (5, 2, 0, 4, 1, 3))


def philips_enhanced_fmri(folder: Path, mni) -> None:
    """Philips enhanced: a 3-volume run in one file, frames slice by slice (every time point
    of slice 1, then of slice 2), each with its TemporalPositionIndex."""
    import pydicom
    from enhanced_maker import EnhancedSpec, write_enhanced
    from pydicom.sequence import Sequence

    parts = [pydicom.dcmread(write_enhanced(folder / f"{t}.part", mni, EnhancedSpec(
        rows=12, cols=10, n_slices=5, manufacturer="Philips Medical Systems", temporal_index=t + 1,
        value_scale=1.0 - 0.1 * t, acquisition_time=f"1010{10 + 2 * t}.00")).path)
        for t in range(3)]
    items, pixels = [], []
    for k in range(5):
        for t, part in enumerate(parts):
            item = part.PerFrameFunctionalGroupsSequence[k]
            item.FrameContentSequence[0].DimensionIndexValues = [1, k + 1, t + 1]
            items.append(item)
            pixels.append(part.pixel_array[k])
    ds = parts[0]
    ds.PerFrameFunctionalGroupsSequence = Sequence(items)
    ds.NumberOfFrames, ds.PixelData = len(items), np.ascontiguousarray(pixels).tobytes()
    ds.save_as(folder / "run.dcm", enforce_file_format=True)
    for part in folder.glob("*.part"):
        part.unlink()


def xa_dwi(folder: Path, mni) -> None:
    """Siemens XA diffusion: one Enhanced MR file per volume, each frame with its
    MRDiffusionSequence (b = 0, 1000, 1000, 2000)."""
    import pydicom
    from dwi_maker import diffusion_sequence
    from enhanced_maker import EnhancedSpec, write_enhanced

    uids = {k: pydicom.uid.generate_uid() for k in ("series_uid", "study_uid", "frame_uid")}
    for t, (b, direction) in enumerate(((0, (0, 0, 0)), (1000, (1, 0, 0)), (1000, (0, 1, 0)),
                                        (2000, (0, 0.6, 0.8)))):
        written = write_enhanced(folder / f"{t}.dcm", mni, EnhancedSpec(
            **uids, rows=12, cols=10, n_slices=5, orientation_per_frame=True,
            temporal_index=t + 1, instance=t + 1, acquisition_time=f"1010{10 + 2 * t}.00",
            value_scale=1.0 - 0.1 * t, description="DWI",
            image_type=("ORIGINAL", "PRIMARY", "DIFFUSION", "NONE")))
        ds = pydicom.dcmread(written.path)
        for item in ds.PerFrameFunctionalGroupsSequence:
            item.MRDiffusionSequence = diffusion_sequence(b, direction)
        ds.save_as(written.path)


def one_slice_run(folder: Path, mni) -> None:
    """A single-slice run (perfusion, a cine slice): 5 time points of one slice."""
    import pydicom

    uid = pydicom.uid.generate_uid()
    for t in range(5):
        _series(folder / f"t{t}", mni, series_uid=uid, n_slices=1, value_scale=1.0 - 0.1 * t,
                seed=t, first_instance=1 + t,
                extra=(("Manufacturer", "SIEMENS"), ("AcquisitionNumber", t + 1)))


def two_acquisitions(folder: Path, mni) -> None:
    """A CT series of two acquisitions one after the other along the body (AcquisitionNumber
    1 for the lower 5 slices, 2 for the upper 5), one grid."""
    series = _series(folder, mni, modality="CT", n_slices=10,
                     extra=(("Manufacturer", "GE MEDICAL SYSTEMS"),))
    _by_position(series, lambda ds, k: setattr(ds, "AcquisitionNumber", 1 + k // 5))


def spacing_text(folder: Path, mni) -> None:
    """PixelSpacing 0.9765625 written in full on some slices, as 0.976562 on the others."""
    series = _series(folder, mni, row_spacing=0.9765625, col_spacing=0.9765625, rows=24, cols=24)

    def stamp(ds, k):
        ds.PixelSpacing = ["0.9765625"] * 2 if k % 2 else ["0.976562"] * 2

    _by_position(series, stamp)


def orientation_text(folder: Path, mni) -> None:
    """An oblique ImageOrientationPatient to 8 decimals on some slices, 6 on the others."""
    series = _series(folder, mni, orientation="oblique")

    def stamp(ds, k):
        if k % 2:
            ds.ImageOrientationPatient = [f"{float(x):.6f}" for x in ds.ImageOrientationPatient]

    _by_position(series, stamp)


def _text(number: float, style: str) -> str:
    return {"exponent": f"{number:.9e}", "plus": f"{number:+.5f}", "spaces": f" {number:.4f}"}[style]


def decimal_text(style: str):
    def make(folder: Path, mni) -> None:
        """Decimal strings as some exporters write them: in exponent notation (-1.234e+01),
        with a sign on positive numbers (+12.5), or with a leading space, in
        ImagePositionPatient, ImageOrientationPatient, PixelSpacing and the rescale."""
        series = _series(folder, mni, orientation="oblique", slope=0.5, intercept=-10.0)

        def stamp(ds):
            for keyword in ("ImagePositionPatient", "ImageOrientationPatient", "PixelSpacing"):
                setattr(ds, keyword, [_text(float(x), style) for x in getattr(ds, keyword)])
            ds.RescaleSlope, ds.RescaleIntercept = _text(0.5, style), _text(-10.0, style)

        _rewrite(series.files, stamp)
    return make


def siemens_distortion(folder: Path, mni) -> None:
    """Siemens: the images with and without distortion correction (ImageType ...\\DIS2D and
    ...\\ND) at the same positions in one series."""
    import pydicom

    uid = pydicom.uid.generate_uid()
    for n, kind in enumerate(("DIS2D", "ND")):
        _series(folder / kind, mni, series_uid=uid, value_scale=1.0 - 0.3 * n, seed=n,
                first_instance=1 + 6 * n, image_type=("ORIGINAL", "PRIMARY", "M", kind),
                extra=(("Manufacturer", "SIEMENS"),))


def survey(folder: Path, mni) -> None:
    """Philips survey: 3 slices in each of 3 planes, one series (ImageType ...\\M_FFE)."""
    import pydicom

    uid = pydicom.uid.generate_uid()
    for n, plane in enumerate(("axial", "sagittal", "coronal")):
        _series(folder / plane, mni, series_uid=uid, orientation=plane, n_slices=3, rows=20,
                cols=20, slice_step=10.0, first_instance=1 + 3 * n, seed=n,
                image_type=("ORIGINAL", "PRIMARY", "M_FFE", "M", "FFE"), description="Survey",
                extra=(("Manufacturer", "Philips Medical Systems"),))


def enhanced_per_frame_measures(folder: Path, mni) -> None:
    """Enhanced MR whose PixelMeasures lie in each frame's group, not the shared one."""
    import pydicom
    from enhanced_maker import EnhancedSpec, write_enhanced

    written = write_enhanced(folder / "volume.dcm", mni, EnhancedSpec(
        rows=12, cols=10, n_slices=6, manufacturer="Philips Medical Systems", orientation="oblique"))
    ds = pydicom.dcmread(written.path)
    measures = ds.SharedFunctionalGroupsSequence[0].PixelMeasuresSequence
    del ds.SharedFunctionalGroupsSequence[0].PixelMeasuresSequence
    for item in ds.PerFrameFunctionalGroupsSequence:
        item.PixelMeasuresSequence = measures
    ds.save_as(written.path)


def enhanced_one_frame(folder: Path, mni) -> None:
    """An Enhanced MR file of one frame."""
    from enhanced_maker import EnhancedSpec, write_enhanced

    write_enhanced(folder / "volume.dcm", mni, EnhancedSpec(
        rows=12, cols=10, n_slices=1, manufacturer="SIEMENS", orientation="coronal"))


def siemens_csa_dwi(folder: Path, mni) -> None:
    """Siemens mosaic DWI whose b-values and directions lie in its CSA header alone."""
    from mosaic_maker import write_csa_only_dwi

    write_csa_only_dwi(folder, mni, "sagittal")


def canon_dwi(folder: Path, mni) -> None:
    """Canon: DiffusionBValue, the direction only as text in ImageComments, 'b=1000(0.6,0,0.8)'
    (dcm2niix's issue 422; it reads them by a rule it calls experimental off axial planes)."""
    import pydicom

    uid = pydicom.uid.generate_uid()
    for t, (b, d) in enumerate(((0, (0, 0, 0)), (1000, (1, 0, 0)), (1000, (0.6, 0, 0.8)))):
        _series(folder / f"v{t}", mni, series_uid=uid, value_scale=1.0 - 0.1 * t, seed=t,
                first_instance=1 + 6 * t, description="DWI", extra=(
                    ("Manufacturer", "CANON_MEC"), ("DiffusionBValue", float(b)),
                    ("ImageComments", f"b={b}({d[0]:.3f},{d[1]:.3f},{d[2]:.3f})")))


CASES = {
    **{f"Siemens MR, {o}": oriented(o) for o in (
        "sagittal", "coronal", "oblique", "axial flipped", "coronal flipped", "sagittal flipped")},
    "Canon MR, sagittal flipped": oriented("sagittal flipped", "Canon Medical Systems"),
    "Canon CT, feet first, unsigned, intercept -1024": canon_ct,
    "Hitachi MR, coronal flipped": oriented("coronal flipped", "Hitachi Medical Corporation"),
    "Fujifilm MR, oblique": oriented("oblique", "FUJIFILM Healthcare Corporation"),
    "Siemens 3 echoes, EchoNumbers": echoes(True, "SIEMENS"),
    "GE 3 echoes, no EchoNumbers": echoes(False, "GE MEDICAL SYSTEMS"),
    **{f"classic DWI, {c} b-values, 6 volumes": classic_dwi(c) for c in (
        "standard", "siemens", "ge", "ge-col", "philips", "uih")},
    "classic DWI, GE b-values, COL phase-encoded, oblique": classic_dwi("ge-col", "oblique"),
    "classic DWI, Philips b-values, sagittal": classic_dwi("philips", "sagittal"),
    "classic DWI, UIH b-values, oblique": classic_dwi("uih", "oblique"),
    "Canon DWI, directions in ImageComments only": canon_dwi,
    "Siemens mosaic DWI, b-values and directions in the CSA header only": siemens_csa_dwi,
    "enhanced DWI, Siemens XA": enhanced_dwi("SIEMENS"),
    "enhanced DWI, Philips": enhanced_dwi("Philips Medical Systems"),
    "Siemens classic fMRI, 4 volumes, AcquisitionNumber 1-4": fmri("SIEMENS", True),
    "GE fMRI, 4 volumes, AcquisitionNumber 1, instances running on": fmri("GE MEDICAL SYSTEMS",
                                                                          False),
    "GE fMRI, 4 volumes, RawDataRunNumber 1-4": fmri("GE MEDICAL SYSTEMS", False, True),
    "Siemens classic fMRI, coronal": fmri("SIEMENS", True, orientation="coronal"),
    "GE, interleaved instance numbers, SpacingBetweenSlices -4": ge_interleaved,
    "Philips classic, RescaleSlope and private scale per slice": philips_classic_scale,
    "Philips enhanced, coronal, RescaleSlope per frame": philips_enhanced_rescale,
    "Siemens XA run of 3 one-volume files, axial": xa_run("axial"),
    "Siemens XA run of 3 one-volume files, sagittal flipped": xa_run("sagittal flipped"),
    "Canon enhanced MR, oblique": enhanced_volume("Canon Medical Systems", "oblique"),
    "Philips enhanced MR, sagittal flipped": enhanced_volume("Philips Medical Systems",
                                                            "sagittal flipped"),
    "Siemens mosaic, sagittal, 2 volumes": mosaic("sagittal", False),
    "Siemens mosaic, coronal, descending slice normal": mosaic("coronal", True),
    "UIH grid, 2 volumes, axial": uih("axial", 2),
    "UIH grid, coronal": uih("coronal", 1),
    "three-plane localiser in an axial series": mixed_in("localiser"),
    "coronal reformat (DERIVED MPR) in an axial series": mixed_in("reformat"),
    "subtraction (DERIVED SUB) on the grid of an axial series": mixed_in("subtraction"),
    "1 missing slice of 12": missing((5,)),
    "3 missing slices of 12, coronal": missing((3, 4, 8), "coronal"),
    "fMRI, one slice stored twice": duplicated_4d,
    "Philips classic fMRI, instances slice by slice, TemporalPositionIdentifier":
        philips_classic_fmri,
    "Siemens cine, 5 phases by TriggerTime, oblique": cine,
    "multi-echo fMRI, 2 echoes x 3 volumes": multi_echo_fmri,
    "GE oblique, ImageOrientationPatient to 4 decimals": rounded_orientation,
    "Philips enhanced, frames out of position order": philips_enhanced_shuffled,
    "Philips enhanced fMRI in one file, frames slice by slice": philips_enhanced_fmri,
    "Siemens XA DWI, one enhanced file per volume": xa_dwi,
    "one slice, 5 time points": one_slice_run,
    "GE CT, two acquisitions one after the other in one series": two_acquisitions,
    "PixelSpacing 0.9765625 and 0.976562 in one series": spacing_text,
    "ImageOrientationPatient to 8 and 6 decimals in one series": orientation_text,
    "2 slices": missing(tuple(range(2, 12))),
    **{f"decimal strings: {style}": decimal_text(style) for style in ("exponent", "plus", "spaces")},
    "Siemens DIS2D and ND images at the same positions in one series": siemens_distortion,
    "Siemens NORM and unnormalized images at the same positions in one series":
        siemens_normalize,
    "Siemens mosaic run, an ND and a DIS2D volume in one series": siemens_mosaic_distortion,
    "Siemens classic fMRI, 3 volumes each stored DIS2D and ND": siemens_distortion_run,
    "Siemens XA, a DIS3D and an ND enhanced file of one series": xa_distortion,
    "Canon DWI, ImageComments directions, COL phase-encoded, axial": canon_dwi_col("axial"),
    "Canon DWI, ImageComments directions, COL phase-encoded, oblique": canon_dwi_col("oblique"),
    "Canon DWI, ImageComments directions, COL phase-encoded, coronal": canon_dwi_col("coronal"),
    "Canon enhanced MR, JPEG 2000 lossless frames": enhanced_compressed("Canon Medical Systems",
                                                                        "--j2k"),
    "Philips enhanced MR, JPEG-LS lossless frames": enhanced_compressed(
        "Philips Medical Systems", "--jpegls"),
    "Siemens enhanced MR, RLE frames": enhanced_compressed("SIEMENS", "--rle"),
    "Canon enhanced CT, unsigned, RescaleIntercept per frame": enhanced_ct_rescale,
    "GE 4 echoes, instance numbers echo by echo within each slice": ge_echoes_interleaved,
    "Philips enhanced, 2 echoes in one object, oblique": enhanced_echoes("Philips Medical Systems"),
    "Canon enhanced, 2 echoes in one object, oblique": enhanced_echoes("Canon Medical Systems"),
    "Canon enhanced fMRI, TemporalPositionIndex 1 on every frame": canon_enhanced_fmri,
    "enhanced DWI, Canon": enhanced_dwi("Canon Medical Systems"),
    "Siemens XA enhanced, RescaleSlope per frame": xa_rescale_per_frame,
    "Philips enhanced, two sagittal stacks x 2 time points in one object": philips_stacks_run,
    "Philips survey, 3 slices in each of 3 planes, one series": survey,
    "enhanced, PixelMeasures in each frame's group": enhanced_per_frame_measures,
    "enhanced, one frame": enhanced_one_frame,
}


def _gradients(folder: Path):
    """The b-values and the gradient directions in RAS (None without a .bvec) of a folder's one
    .bval (FSL's convention: directions along the image axes, the first one flipped where the
    affine's determinant is positive), or None where there is not exactly one."""
    import nibabel as nib

    bvals = sorted(folder.glob("*.bval"))
    if len(bvals) != 1:
        return None
    b_values = np.loadtxt(bvals[0], ndmin=1)
    if not bvals[0].with_suffix(".bvec").exists():
        return b_values, None
    affine = nib.load(bvals[0].with_suffix(".nii")).affine[:3, :3]
    flip = np.diag([-1.0, 1, 1]) if np.linalg.det(affine) > 0 else np.eye(3)
    vectors = np.loadtxt(bvals[0].with_suffix(".bvec"), ndmin=2)
    return b_values, affine / np.linalg.norm(affine, axis=0) @ flip @ vectors


def diffusion_difference(work: Path) -> str:
    """'' where both wrote no b-values or the same b-values and directions (1e-4), else what
    differs."""
    ours, theirs = _gradients(work / "nv"), _gradients(work / "d2n")
    if ours is None and theirs is None:
        return ""
    if ours is None or theirs is None:
        return "; b-values written by " + ("dcm2niix" if ours is None else "neuroview") + " only"
    if ours[0].shape != theirs[0].shape or np.abs(ours[0] - theirs[0]).max() > 1e-4:
        return f"; b-values {ours[0].tolist()} vs {theirs[0].tolist()}"
    if ours[1] is None or theirs[1] is None:
        return "; same b-values; directions written by " + (
            "neither" if ours[1] is theirs[1] else "dcm2niix" if ours[1] is None else "neuroview") + " only"
    if np.abs(ours[1] - theirs[1]).max() > 1e-4:
        return "; gradient directions differ in RAS"
    return "; same b-values and directions (RAS)"


def main() -> int:
    return run_cases(CASES, "dicom-vendors-", __doc__.splitlines()[0], diffusion_difference)


if __name__ == "__main__":
    sys.exit(main())
