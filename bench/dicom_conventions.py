"""Scanner conventions the installed test files do not reach, written by the test makers
(tests/io/dicom/*_maker.py) and converted by ``neuroview convert`` and by dcm2niix, compared.

One line per case, as ``bench/dicom_sweep.py`` prints them (series paired by their voxels' RAS
positions and values)::

    same        <case>  <n> vs <n> series
    differs     <case>  <how>
    refused     <case>  neuroview: <its line> | dcm2niix: <its line>

    PYTHONPATH=. nice -n 5 python bench/dicom_conventions.py [--only SUBSTRING] [--keep FOLDER]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[0] / "tests" / "io" / "dicom"))
sys.path.insert(0, str(HERE))
from dicom_sweep import DCM2NIIX, _dcm2niix_problem, _last_line, _run, compare  # noqa: E402


def _rewrite(files, change) -> None:
    import pydicom

    for path in files:
        ds = pydicom.dcmread(path)
        change(ds)
        ds.save_as(path, enforce_file_format=True)


SMALL = {"rows": 16, "cols": 14, "n_slices": 6}


def _series(folder: Path, mni, **spec):
    from series_maker import SeriesSpec, write_series

    return write_series(folder, mni, SeriesSpec(**{**SMALL, **spec}))


def mosaic_without_image_count(folder: Path, mni) -> None:
    """A Siemens mosaic of 7 slices whose CSA header names no NumberOfImagesInMosaic."""
    import pydicom
    from mosaic_maker import csa_header, write_mosaic_run

    files, _, _ = write_mosaic_run(folder, mni, n_slices=7)
    normal = [f"{x:.8f}" for x in (0.0, 0.0, 1.0)]
    for path in files:
        ds = pydicom.dcmread(path)
        ds[0x00291010].value = csa_header({"AcquisitionMatrixText": ("SH", ["8p*8"]),
                                           "SliceNormalVector": ("FD", normal)})
        ds.save_as(path)


def mosaic_without_csa_header(folder: Path, mni) -> None:
    """A Siemens mosaic whose private elements, the CSA image header with them, are stripped."""
    import pydicom
    from mosaic_maker import write_mosaic_run

    files, _, _ = write_mosaic_run(folder, mni, n_slices=7)
    for path in files:
        ds = pydicom.dcmread(path)
        del ds[0x00291010], ds[0x00290010]
        ds.save_as(path)


def mosaic_odd(folder: Path, mni) -> None:
    from mosaic_maker import write_mosaic_run

    write_mosaic_run(folder, mni, n_slices=11, n_volumes=2, slice_order="interleaved")


def duplicates_out_of_order(folder: Path, mni) -> None:
    """Slices named out of order, two of them stored twice (same SOPInstanceUID, other name)."""
    series = _series(folder, mni, reverse_instances=False)
    for path in series.files[1:3]:
        shutil.copy(path, path.with_name("copy_" + path.name))


def duplicates_new_uids(folder: Path, mni) -> None:
    """Two slices sent again under new SOPInstanceUIDs (same position, same pixels)."""
    import pydicom

    series = _series(folder, mni)
    for index, path in enumerate(series.files[1:3]):
        ds = pydicom.dcmread(path)
        ds.SOPInstanceUID = ds.file_meta.MediaStorageSOPInstanceUID = pydicom.uid.generate_uid()
        ds.InstanceNumber = 100 + index
        ds.save_as(path.with_name("resent_" + path.name))


def two_folders(folder: Path, mni) -> None:
    """One series, its first 3 slices in one folder and the rest in another."""
    series = _series(folder / "a", mni)
    (folder / "b").mkdir()
    for path in sorted(series.files)[3:]:
        path.rename(folder / "b" / path.name)


def dicomdir_only(folder: Path, mni) -> None:
    """Files without extension under a DICOMDIR, as a CD export writes them."""
    from pydicom.fileset import FileSet

    series = _series(folder / "src", mni)
    fs = FileSet()
    for path in series.files:
        fs.add(str(path))
    fs.write(folder / "cd")
    shutil.rmtree(folder / "src")


def signed_with_rescale(folder: Path, mni) -> None:
    """Signed pixels, negative ones too, with slope 0.5 and intercept -100."""
    _series(folder, mni, slope=0.5, intercept=-100.0, modality="CT")


def unsigned_with_rescale(folder: Path, mni) -> None:
    """GE-style unsigned pixels (PixelRepresentation 0) with RescaleIntercept -1024."""
    series = _series(folder, mni, modality="CT")

    def unsigned(ds):
        ds.PixelData = (ds.pixel_array.astype(np.int32) + 1100).astype(np.uint16).tobytes()
        ds.PixelRepresentation, ds.Manufacturer = 0, "GE MEDICAL SYSTEMS"
        ds.RescaleIntercept = "-1024"

    _rewrite(series.files, unsigned)


def signed_12_bits(folder: Path, mni) -> None:
    """Signed pixels in 12 of 16 bits (BitsStored 12, HighBit 11), negative values written as
    12-bit two's complement with the 4 bits above them clear, as some CT scanners store them."""
    series = _series(folder, mni, modality="CT", intercept=-1024.0)

    def twelve(ds):
        values = ds.pixel_array.astype(np.int32) - 600
        ds.PixelData = (values & 0x0FFF).astype(np.uint16).tobytes()
        ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 12, 11, 1

    _rewrite(series.files, twelve)


def unsigned_12_bits_high_bits_set(folder: Path, mni) -> None:
    """Unsigned pixels in 12 of 16 bits with the 4 bits above them set (an overlay's bits or a
    scanner's flags), which a reader must mask."""
    series = _series(folder, mni)

    def flagged(ds):
        ds.PixelData = (ds.pixel_array.astype(np.uint16) | 0xF000).tobytes()
        ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 12, 11, 0

    _rewrite(series.files, flagged)


def big_endian(folder: Path, mni) -> None:
    """Explicit VR big endian (1.2.840.10008.1.2.2, retired, still in old archives)."""
    import pydicom
    from pydicom.uid import ExplicitVRBigEndian

    series = _series(folder, mni)
    for path in series.files:
        ds = pydicom.dcmread(path)
        pixels = ds.pixel_array
        ds.file_meta.TransferSyntaxUID = ExplicitVRBigEndian
        ds.PixelData = pixels.astype(">i2").tobytes()
        ds["PixelData"].VR = "OW"
        pydicom.dcmwrite(path, ds, little_endian=False, implicit_vr=False, force_encoding=True)


def canon_padding(folder: Path, mni) -> None:
    """A Toshiba/Canon CT with PixelPaddingValue -2000 outside the field of view."""
    from ct_maker import write_ct

    write_ct(folder, padding=-2000, size=24, fov_mm=36.0)
    _rewrite(sorted(folder.glob("*.dcm")), lambda ds: setattr(ds, "Manufacturer", "TOSHIBA"))


def _ge_rounded_positions(n_slices: int):
    def make(folder: Path, mni) -> None:
        """GE: SliceLocation exact, ImagePositionPatient rounded to 0.1 mm (1.25 mm slices)."""
        _ge_rounded(_series(folder, mni, slice_step=1.25, n_slices=n_slices, modality="CT"))
    return make


def _ge_rounded(series) -> None:
    def rounded(ds):
        ds.Manufacturer = "GE MEDICAL SYSTEMS"
        ds.SliceLocation = f"{float(ds.ImagePositionPatient[2]):.3f}"
        ds.ImagePositionPatient = [f"{float(x):.1f}" for x in ds.ImagePositionPatient]

    _rewrite(series.files, rounded)


def hitachi(folder: Path, mni) -> None:
    """A Hitachi MR (Manufacturer 'Hitachi Medical Corporation'), sagittal."""
    series = _series(folder, mni, orientation="sagittal")
    _rewrite(series.files, lambda ds: setattr(ds, "Manufacturer", "Hitachi Medical Corporation"))


def fuji(folder: Path, mni) -> None:
    """A FUJIFILM CT, coronal, 2 mm."""
    series = _series(folder, mni, orientation="coronal", slice_step=2.0, modality="CT")
    _rewrite(series.files, lambda ds: setattr(ds, "Manufacturer", "FUJIFILM Corporation"))


def ct_kernels_same_positions(folder: Path, mni) -> None:
    """Soft-tissue (FC13) and bone (FC51) reconstructions at the same positions, one series."""
    import pydicom

    uid = pydicom.uid.generate_uid()
    for kernel, seed, first in (("FC13", 1, 1), ("FC51", 2, 7)):
        _series(folder, mni, modality="CT", series_uid=uid, seed=seed, first_instance=first,
                extra=(("ConvolutionKernel", kernel),))


def enhanced_ct_kernels(folder: Path, mni) -> None:
    """One Enhanced CT object of two kernels' frames, each frame's kernel in its own group."""
    from enhanced_maker import EnhancedSpec, write_enhanced_ct_kernels

    write_enhanced_ct_kernels(folder / "ct.dcm", mni, ("FC13", "FC51"), EnhancedSpec(
        rows=12, cols=12, n_slices=5, description="HEAD", manufacturer="TOSHIBA"))


def _compressed(syntax_flag: str, negative: bool = False):
    def make(folder: Path, mni) -> None:
        """``negative``: signed CT pixels holding HU themselves (stored -1024 and up,
        intercept 0), so the codec must carry the sign."""
        series = _series(folder / "raw", mni, modality="CT")
        if negative:
            def hu(ds):
                ds.PixelData = (ds.pixel_array.astype(np.int16) - 1024).tobytes()
            _rewrite(series.files, hu)
        folder.mkdir(exist_ok=True)
        gdcmconv = str(Path(sys.executable).with_name("gdcmconv"))
        for path in series.files:
            subprocess.run([gdcmconv, *syntax_flag.split(), str(path), str(folder / path.name)],
                           check=True, capture_output=True)
        shutil.rmtree(folder / "raw")
    return make


def _philips_stacks(shift_lps, orientations):
    def make(folder: Path, mni) -> None:
        """One Philips enhanced MR object holding two stacks (StackID 1 and 2), 5 frames each,
        the second in ``orientations[1]`` and moved by ``shift_lps`` mm."""
        import pydicom
        from enhanced_maker import EnhancedSpec, write_enhanced
        from pydicom.sequence import Sequence

        parts = []
        for stack, orientation in enumerate(orientations, start=1):
            written = write_enhanced(folder / f"{stack}.part", mni, EnhancedSpec(
                rows=12, cols=12, n_slices=5, manufacturer="Philips Medical Systems",
                orientation=orientation, orientation_per_frame=True, value_scale=1.0 / stack))
            parts.append(pydicom.dcmread(written.path))
            written.path.unlink()
        ds = parts[0]
        frames = []
        for stack, part in enumerate(parts, start=1):
            for k, item in enumerate(part.PerFrameFunctionalGroupsSequence):
                item.FrameContentSequence[0].StackID = str(stack)
                item.FrameContentSequence[0].DimensionIndexValues = [stack, k + 1]
                if stack == 2:
                    plane = item.PlanePositionSequence[0]
                    plane.ImagePositionPatient = [f"{float(x) + d:.6f}" for x, d in
                                                  zip(plane.ImagePositionPatient, shift_lps)]
                frames.append(item)
        ds.PerFrameFunctionalGroupsSequence = Sequence(frames)
        ds.NumberOfFrames = len(frames)
        ds.PixelData = b"".join(part.PixelData for part in parts)
        pydicom.dcmwrite(folder / "stacks.dcm", ds, enforce_file_format=True)
    return make


CASES = {
    "Siemens mosaic, 11 slices, interleaved, 2 volumes": mosaic_odd,
    "Siemens mosaic without NumberOfImagesInMosaic": mosaic_without_image_count,
    "Siemens mosaic without its CSA header": mosaic_without_csa_header,
    "GE CT, 8 slices, positions rounded to 0.1 mm, SliceLocation exact": _ge_rounded_positions(8),
    "GE CT, 40 slices, positions rounded to 0.1 mm, SliceLocation exact": _ge_rounded_positions(40),
    "Philips enhanced, a transverse and a sagittal stack in one object":
        _philips_stacks((0, 0, 0), ("axial", "sagittal")),
    "Philips enhanced, two sagittal stacks 40 mm apart in one object":
        _philips_stacks((0, 0, -40), ("sagittal", "sagittal")),
    "Canon/Toshiba CT, PixelPaddingValue -2000": canon_padding,
    "CT, two kernels at the same positions in one series": ct_kernels_same_positions,
    "Enhanced CT, two kernels in one object": enhanced_ct_kernels,
    "Hitachi MR, sagittal": hitachi,
    "Fujifilm CT, coronal": fuji,
    "signed pixels, slope 0.5, intercept -100": signed_with_rescale,
    "unsigned pixels, intercept -1024": unsigned_with_rescale,
    "out of order, 2 slices stored twice": duplicates_out_of_order,
    "2 slices sent again under new SOPInstanceUIDs": duplicates_new_uids,
    "one series over two folders": two_folders,
    "DICOMDIR, files without extension": dicomdir_only,
    "JPEG Lossless (gdcmconv --jpeg --lossless)": _compressed("--jpeg --lossless"),
    "JPEG 2000 lossless (gdcmconv --j2k)": _compressed("--j2k"),
    "JPEG-LS lossless (gdcmconv --jpegls)": _compressed("--jpegls"),
    "RLE (gdcmconv --rle)": _compressed("--rle"),
    "JPEG 2000 lossy (gdcmconv --j2k --lossy -q 30)": _compressed("--j2k --lossy -q 30"),
    "JPEG-LS near-lossless (gdcmconv --jpegls --lossy -e 2)": _compressed("--jpegls --lossy -e 2"),
    "JPEG Lossless, negative signed pixels": _compressed("--jpeg --lossless", negative=True),
    "JPEG 2000 lossless, negative signed pixels": _compressed("--j2k", negative=True),
    "JPEG-LS lossless, negative signed pixels": _compressed("--jpegls", negative=True),
    "RLE, negative signed pixels": _compressed("--rle", negative=True),
    "signed 12 of 16 bits, high bits clear": signed_12_bits,
    "unsigned 12 of 16 bits, high bits set": unsigned_12_bits_high_bits_set,
    "explicit VR big endian": big_endian,
}


def convert_both(source: Path, work: Path) -> tuple[str, str]:
    ours, theirs = work / "nv", work / "d2n"
    ours.mkdir(parents=True)
    theirs.mkdir(parents=True)
    nv_code, nv_text, _ = _run([sys.executable, "-m", "neuroview", "convert", str(source),
                                str(ours), "--no-gzip", "--no-sidecar"])
    d2n_code, d2n_text, _ = _run([DCM2NIIX, "-z", "n", "-b", "n", "-f", "%s_%d_%j",
                                  "-o", str(theirs), str(source)])
    our_files, their_files = sorted(ours.glob("*.nii")), sorted(theirs.glob("*.nii"))
    if nv_code != 0 or not our_files:
        nv_line = _last_line(nv_text).replace(str(source), "IN")
        return "refused", f"neuroview: {nv_line} | dcm2niix: {_dcm2niix_problem(d2n_text)}"
    if d2n_code != 0 or not their_files:
        return "refused", (f"dcm2niix only: {_dcm2niix_problem(d2n_text)} "
                           f"(neuroview: {len(our_files)} series)")
    return compare(our_files, their_files)


def run_cases(cases: dict, prefix: str, description: str, more=None) -> int:
    """Write each case of ``cases`` (name -> maker(folder, mni)), convert it with neuroview and
    dcm2niix, and print a line per case and the tally; ``more(work)`` adds to a compared case's
    line (``bench/dicom_vendor_series.py``: the b-values and directions)."""
    from neuroview.io.nifti import load_nifti

    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--only", default="", help="run only cases whose name holds this")
    parser.add_argument("--keep", type=Path, help="keep the folders in this folder")
    args = parser.parse_args()
    mni = load_nifti(HERE.parent / "resources" / "demo" / "mni152_t1_1mm.nii.gz")
    root = Path(tempfile.mkdtemp(prefix=prefix)) if args.keep is None else args.keep
    tally: dict[str, int] = {}
    try:
        for index, (name, make) in enumerate(cases.items()):
            if args.only not in name:
                continue
            work = root / f"{index:02d}"
            make(work / "in", mni)
            kind, how = convert_both(work / "in", work)
            if more is not None and kind != "refused":
                how += more(work)
            tally[kind] = tally.get(kind, 0) + 1
            print(f"{kind:<8} {name}  {how}", flush=True)
    finally:
        if args.keep is None:
            shutil.rmtree(root, ignore_errors=True)
    print("tally: " + ", ".join(f"{k} {n}" for k, n in sorted(tally.items())))
    return 0


def main() -> int:
    return run_cases(CASES, "dicom-conventions-", __doc__.splitlines()[0])


if __name__ == "__main__":
    sys.exit(main())
