"""Makers of the vendor series added in session 47 to ``bench/dicom_vendor_series.py``: Siemens
images before and after a correction in one series (DIS2D/DIS3D beside ND, NORM beside none),
Canon DWI with its directions as ImageComments text, enhanced objects (echoes, stacks x time
points, compressed frames, per-frame rescale, Canon's TemporalPositionIndex 1 on every frame)
and GE echoes numbered echo by echo. Each ``make(folder, mni)`` writes one case's folder."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[0] / "tests" / "io" / "dicom"))
sys.path.insert(0, str(HERE))
from dicom_conventions import _series  # noqa: E402


def _by_position(series, stamp) -> None:
    """``stamp(ds, k)`` on every file of ``series``, k its slice's place along the normal."""
    import pydicom

    for path in series.files:
        ds = pydicom.dcmread(path)
        k = int(np.argmin(np.linalg.norm(series.positions_lps - np.array(
            ds.ImagePositionPatient, float), axis=1)))
        stamp(ds, k)
        ds.save_as(path)


def siemens_normalize(folder: Path, mni) -> None:
    """Siemens prescan normalize with its unfiltered images kept: ImageType ...\\ND\\NORM
    beside ...\\ND at the same positions in one series."""
    import pydicom

    uid = pydicom.uid.generate_uid()
    for n, words in enumerate((("ND", "NORM"), ("ND",))):
        _series(folder / str(n), mni, series_uid=uid, value_scale=1.0 - 0.3 * n, seed=n,
                first_instance=1 + 6 * n, orientation="sagittal",
                image_type=("ORIGINAL", "PRIMARY", "M", *words),
                extra=(("Manufacturer", "SIEMENS"),))


def siemens_distortion_run(folder: Path, mni) -> None:
    """Siemens classic fMRI of 3 volumes (AcquisitionNumber 1-3), each volume's slices stored
    twice: ImageType ...\\DIS2D and ...\\ND, instance numbers running on."""
    import pydicom

    uid = pydicom.uid.generate_uid()
    for t in range(3):
        for n, word in enumerate(("DIS2D", "ND")):
            _series(folder / f"t{t}{word}", mni, series_uid=uid, value_scale=1.0 - 0.1 * t - 0.3 * n,
                    seed=10 * t + n, first_instance=1 + 6 * (2 * t + n), reverse_instances=False,
                    image_type=("ORIGINAL", "PRIMARY", "M", word),
                    extra=(("Manufacturer", "SIEMENS"), ("AcquisitionNumber", t + 1)))


def siemens_mosaic_distortion(folder: Path, mni) -> None:
    """Siemens mosaic run of 2 volumes, the first ImageType ...\\ND\\MOSAIC, the second
    ...\\DIS2D\\MOSAIC."""
    import pydicom
    from mosaic_maker import write_mosaic_run

    files, _, _ = write_mosaic_run(folder, mni, n_slices=7, n_volumes=2, orientation="coronal")
    ds = pydicom.dcmread(files[1])
    ds.ImageType = ["ORIGINAL", "PRIMARY", "M", "DIS2D", "MOSAIC"]
    ds.save_as(files[1])


def xa_distortion(folder: Path, mni) -> None:
    """Siemens XA: two Enhanced MR files of one series at the same positions, ImageType
    ...\\DIS3D in one and ...\\ND in the other."""
    import pydicom
    from enhanced_maker import EnhancedSpec, write_enhanced

    uids = {k: pydicom.uid.generate_uid() for k in ("series_uid", "study_uid", "frame_uid")}
    for n, word in enumerate(("DIS3D", "ND")):
        write_enhanced(folder / f"{word}.dcm", mni, EnhancedSpec(
            **uids, rows=12, cols=10, n_slices=5, orientation="sagittal", instance=n + 1,
            orientation_per_frame=True, value_scale=1.0 - 0.3 * n, description="t1_mprage",
            image_type=("ORIGINAL", "PRIMARY", "M", word), extra={"SoftwareVersions": "syngo MR XA30A"}))


def _merged(path: Path, parts: list, order: list[tuple[int, int]], item_of) -> None:
    """One enhanced file of the frames ``order`` lists ((part, frame), in that order) of the
    enhanced datasets ``parts``, each frame's item passed through ``item_of(item, part, frame)``."""
    import pydicom
    from pydicom.sequence import Sequence

    ds, items, pixels = parts[0], [], []
    for p, k in order:
        items.append(item_of(parts[p].PerFrameFunctionalGroupsSequence[k], p, k))
        pixels.append(parts[p].pixel_array[k])
    ds.PerFrameFunctionalGroupsSequence = Sequence(items)
    ds.NumberOfFrames, ds.PixelData = len(items), np.ascontiguousarray(pixels).tobytes()
    pydicom.dcmwrite(path, ds, enforce_file_format=True)


def enhanced_echoes(manufacturer: str):
    def make(folder: Path, mni) -> None:
        """One enhanced MR object of 2 echoes (each frame's MREchoSequence: 10 and 40 ms),
        frames echo by echo within each slice."""
        import pydicom
        from enhanced_maker import EnhancedSpec, write_enhanced
        from pydicom.dataset import Dataset
        from pydicom.sequence import Sequence

        parts = [pydicom.dcmread(write_enhanced(folder / f"{e}.part", mni, EnhancedSpec(
            rows=12, cols=10, n_slices=5, manufacturer=manufacturer, echo_time=10.0 + 30 * e,
            value_scale=1.0 - 0.4 * e, orientation="oblique")).path) for e in range(2)]
        for part in parts:
            del part.SharedFunctionalGroupsSequence[0].MREchoSequence

        def item_of(item, e, k):
            echo = Dataset()
            echo.EffectiveEchoTime = 10.0 + 30 * e
            item.MREchoSequence = Sequence([echo])
            item.FrameContentSequence[0].DimensionIndexValues = [1, k + 1, e + 1]
            return item

        _merged(folder / "echoes.dcm", parts, [(e, k) for k in range(5) for e in range(2)],
                item_of)
        for part in folder.glob("*.part"):
            part.unlink()
    return make


def rescale_per_frame(path, rescale_type: str) -> None:
    """The enhanced file ``path`` rewritten with RescaleSlope 1, 1.25, ... in each frame's own
    Pixel Value Transformation group (none shared)."""
    import pydicom
    from pydicom.dataset import Dataset
    from pydicom.sequence import Sequence

    ds = pydicom.dcmread(path)
    shared = ds.SharedFunctionalGroupsSequence[0]
    if "PixelValueTransformationSequence" in shared:
        del shared.PixelValueTransformationSequence
    for k, item in enumerate(ds.PerFrameFunctionalGroupsSequence):
        transform = Dataset()
        transform.RescaleSlope, transform.RescaleIntercept = f"{1 + 0.25 * k:g}", "0"
        transform.RescaleType = rescale_type
        item.PixelValueTransformationSequence = Sequence([transform])
    ds.save_as(path)


def xa_rescale_per_frame(folder: Path, mni) -> None:
    """Siemens XA enhanced: RescaleSlope in each frame's Pixel Value Transformation group, 1 to
    2.25 (a map's values)."""
    from enhanced_maker import EnhancedSpec, write_enhanced

    written = write_enhanced(folder / "map.dcm", mni, EnhancedSpec(
        rows=12, cols=10, n_slices=6, orientation="sagittal", orientation_per_frame=True,
        extra={"SoftwareVersions": "syngo MR XA30A"}))
    rescale_per_frame(written.path, "US")


def philips_stacks_run(folder: Path, mni) -> None:
    """Philips enhanced: two sagittal stacks 60 mm apart along the body (StackID 1, 2), each of
    2 time points (TemporalPositionIndex), in one object."""
    import copy

    import pydicom
    from enhanced_maker import EnhancedSpec, write_enhanced

    parts = [pydicom.dcmread(write_enhanced(folder / f"{t}.part", mni, EnhancedSpec(
        rows=12, cols=12, n_slices=4, manufacturer="Philips Medical Systems", temporal_index=t + 1,
        orientation="sagittal", value_scale=1.0 - 0.2 * t,
        acquisition_time=f"1010{10 + 2 * t}.00")).path) for t in range(2)]

    def item_of(item, p, k):
        t, stack = p % 2, p // 2
        content = item.FrameContentSequence[0]
        content.StackID = str(stack + 1)
        content.TemporalPositionIndex = t + 1
        content.DimensionIndexValues = [stack + 1, k + 1, t + 1]
        if stack:
            plane = item.PlanePositionSequence[0]
            plane.ImagePositionPatient = [f"{float(x) + d:.6f}" for x, d in
                                          zip(plane.ImagePositionPatient, (0, 0, -60))]
        return item

    parts = parts + [copy.deepcopy(part) for part in parts]   # stack 2: parts 2 and 3
    _merged(folder / "stacks.dcm", parts,
            [(2 * stack + t, k) for stack in range(2) for k in range(4) for t in range(2)], item_of)
    for part in folder.glob("*.part"):
        part.unlink()


def canon_enhanced_fmri(folder: Path, mni) -> None:
    """Canon enhanced fMRI as Galan 3T V6.0SP2001 writes it (dcm2niix's issue 593): one object
    of 3 volumes, frames volume by volume, TemporalPositionIndex 1 on every frame (in the frame
    content and as the dimension index), each volume's own FrameAcquisitionDateTime."""
    import pydicom
    from enhanced_maker import EnhancedSpec, write_enhanced

    parts = [pydicom.dcmread(write_enhanced(folder / f"{t}.part", mni, EnhancedSpec(
        rows=12, cols=10, n_slices=5, manufacturer="CANON_MEC", temporal_index=1,
        value_scale=1.0 - 0.1 * t, acquisition_time=f"1010{10 + 2 * t}.00")).path)
        for t in range(3)]

    def item_of(item, t, k):
        item.FrameContentSequence[0].DimensionIndexValues = [1, k + 1, 1]
        return item

    _merged(folder / "run.dcm", parts, [(t, k) for t in range(3) for k in range(5)], item_of)
    for part in folder.glob("*.part"):
        part.unlink()


def canon_dwi_col(orientation: str):
    def make(folder: Path, mni) -> None:
        """Canon DWI as its scanners write it: DiffusionBValue, the direction as text in
        ImageComments (image axes, 3 decimals), InPlanePhaseEncodingDirection COL, HFS."""
        import pydicom

        uid = pydicom.uid.generate_uid()
        for t, (b, d) in enumerate(((0, (0, 0, 0)), (1000, (1, 0, 0)), (1000, (0.6, 0, 0.8)),
                                    (2000, (0, 0.8, 0.6)))):
            _series(folder / f"v{t}", mni, series_uid=uid, value_scale=1.0 - 0.1 * t, seed=t,
                    first_instance=1 + 6 * t, description="DWI", orientation=orientation, extra=(
                        ("Manufacturer", "CANON_MEC"), ("DiffusionBValue", float(b)),
                        ("InPlanePhaseEncodingDirection", "COL"), ("PatientPosition", "HFS"),
                        ("ImageComments", f"b={b}({d[0]:.3f},{d[1]:.3f},{d[2]:.3f})")))
    return make


def enhanced_compressed(manufacturer: str, syntax_flag: str):
    def make(folder: Path, mni) -> None:
        """An enhanced MR volume whose frames are compressed one fragment each (gdcmconv)."""
        import subprocess

        from enhanced_maker import EnhancedSpec, write_enhanced

        written = write_enhanced(folder.parent / "raw" / "volume.dcm", mni, EnhancedSpec(
            rows=12, cols=10, n_slices=6, manufacturer=manufacturer, orientation="coronal"))
        folder.mkdir(parents=True, exist_ok=True)
        gdcmconv = str(Path(sys.executable).with_name("gdcmconv"))
        subprocess.run([gdcmconv, *syntax_flag.split(), str(written.path),
                        str(folder / "volume.dcm")], check=True, capture_output=True)
        shutil.rmtree(folder.parent / "raw")
    return make


def enhanced_ct_rescale(folder: Path, mni) -> None:
    """Canon enhanced CT: RescaleIntercept in each frame's own Pixel Value Transformation group,
    -1024 on some frames and -1000 on others (unsigned pixels)."""
    import pydicom
    from enhanced_maker import EnhancedSpec, write_enhanced
    from pydicom.dataset import Dataset
    from pydicom.sequence import Sequence

    written = write_enhanced(folder / "ct.dcm", mni, EnhancedSpec(
        rows=12, cols=10, n_slices=6, manufacturer="CANON_MEC", orientation="axial"))
    ds = pydicom.dcmread(written.path)
    ds.SOPClassUID = ds.file_meta.MediaStorageSOPClassUID = "1.2.840.10008.5.1.4.1.1.2.1"
    ds.Modality = "CT"
    ds.PixelRepresentation = 0
    ds.PixelData = (ds.pixel_array.astype(np.int32) + 1100).astype(np.uint16).tobytes()
    shared = ds.SharedFunctionalGroupsSequence[0]
    if "PixelValueTransformationSequence" in shared:
        del shared.PixelValueTransformationSequence
    for k, item in enumerate(ds.PerFrameFunctionalGroupsSequence):
        transform = Dataset()
        transform.RescaleSlope, transform.RescaleIntercept = "1", "-1024" if k % 2 else "-1000"
        transform.RescaleType = "HU"
        item.PixelValueTransformationSequence = Sequence([transform])
    ds.save_as(written.path)


def ge_echoes_interleaved(folder: Path, mni) -> None:
    """GE multi-echo (4 echoes, EchoNumbers 1-4), instance numbers running echo by echo within
    each slice (slice 1 echoes 1-4, then slice 2...), one AcquisitionNumber."""
    import pydicom

    uid = pydicom.uid.generate_uid()
    for e in (1, 2, 3, 4):
        series = _series(folder / f"e{e}", mni, series_uid=uid, echo_number=e,
                         echo_time=3.1 * e, value_scale=1.0 - 0.15 * e, seed=e,
                         extra=(("Manufacturer", "GE MEDICAL SYSTEMS"), ("AcquisitionNumber", 1)))
        _by_position(series, lambda ds, k, e=e: setattr(ds, "InstanceNumber", 1 + 4 * k + e - 1))
