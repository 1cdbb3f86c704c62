"""Every DICOM file installed here, converted by ``neuroview convert`` and by dcm2niix, compared.

Files: pydicom's test files (``pydicom.data.get_testdata_files()``, which include the
pydicom-data package; its character-set and palette files since session 46), nibabel's
``tests/data`` and ``nicom/tests/data`` (gzipped ones unpacked), pynetdicom's test files
(highdicom ships none; no other installed package holds a file with the DICM mark). Each file is
converted alone; files of one folder that share a SeriesInstanceUID are converted together as
well.

One line per file or folder::

    same        <name>  <n> series
    differs     <name>  <how>
    refused     <name>  neuroview: <its line> | dcm2niix: <its line>

Series are paired by the RAS positions and values of their voxels (both grids brought to
nibabel's closest canonical order, else ``compare_in_world`` from
``tests/io/dicom/series_maker.py``; 1e-3 mm); a pair is ``same`` when every voxel of one lies on
a voxel of the other with the same value (rtol 1e-5), and the NIfTI data types are listed where
they differ. The tally and the wall time against dcm2niix's (the ratio) close the output.

    nice -n 5 python bench/dicom_sweep.py [--only SUBSTRING] [--keep FOLDER]
"""

from __future__ import annotations

import argparse
import gzip
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

import nibabel as nib
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "io" / "dicom"))
from series_maker import DCM2NIIX, compare_in_world  # noqa: E402

TIMEOUT_S = 120
BIG = 4_000_000
"""Voxels past which grids that nibabel cannot bring onto one another are not compared voxel by
voxel (sheared or oblique grids are rare and small among these files)."""


def installed_files() -> list[Path]:
    import pydicom.data
    import pynetdicom

    files = [Path(f) for f in pydicom.data.get_testdata_files() + pydicom.data.get_charset_files()
             + pydicom.data.get_palette_files()]
    nibabel_root = Path(nib.__file__).parent
    for folder in (nibabel_root / "tests" / "data", nibabel_root / "nicom" / "tests" / "data",
                   Path(pynetdicom.__file__).parent / "tests" / "dicom_files"):
        files += sorted(p for p in folder.iterdir() if p.name.endswith((".dcm", ".dcm.gz")))
    return sorted({p.resolve() for p in files if p.is_file() and _is_dicom(p)})


def _short(path: Path, site: Path) -> str:
    return str(path.relative_to(site)).replace("pydicom/data/test_files", "pydicom").replace(
        "/tests/", "/").replace("data_store/data", "pydicom-data")


def _read(path: Path) -> bytes:
    data = path.read_bytes()
    return gzip.decompress(data) if path.suffix == ".gz" else data


def _is_dicom(path: Path) -> bool:
    head = _read(path)[:132]
    return head[128:132] == b"DICM" or path.suffix in (".dcm", ".gz")


def series_folders(files: list[Path]) -> dict[str, list[Path]]:
    """Files of one folder sharing a SeriesInstanceUID (two files at least)."""
    import warnings

    import pydicom

    warnings.simplefilter("ignore")  # pydicom's complaints about its own damaged test files
    groups = defaultdict(list)
    for path in files:
        try:
            uid = pydicom.dcmread(path, stop_before_pixels=True, force=True).get("SeriesInstanceUID")
        except Exception:  # noqa: BLE001 - a damaged test file simply joins no series
            continue
        if uid:
            groups[(path.parent, str(uid))].append(path)
    site = Path(nib.__file__).resolve().parents[1]
    return {f"{_short(folder, site)}/ (series ..{uid[-6:]})": sorted(paths)
            for (folder, uid), paths in groups.items() if len(paths) > 1}


def _run(command: list[str]) -> tuple[int, str, float]:
    start = time.perf_counter()
    try:
        proc = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT_S)
    except subprocess.TimeoutExpired:
        return -1, f"timed out after {TIMEOUT_S} s", time.perf_counter() - start
    return proc.returncode, proc.stdout + proc.stderr, time.perf_counter() - start


def _last_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1].strip()[:200] if lines else "(no output)"


def _dcm2niix_problem(text: str) -> str:
    for line in text.splitlines():
        if any(w in line for w in ("Error", "error", "Unsupported", "not", "No valid")):
            return line.strip()[:200]
    return _last_line(text)


def _values(image) -> np.ndarray:
    """Scaled voxel values; RGB NIfTI as a trailing axis of 3."""
    if image.get_data_dtype().names:  # RGB24: a structured dtype
        raw = np.asarray(image.dataobj)
        return np.stack([raw[c] for c in image.get_data_dtype().names], -1).astype(np.float64)
    return image.get_fdata(dtype=np.float64)


def _canonical_pair(a, affine_a, b, affine_b):
    """Both arrays in nibabel's closest canonical order (flips and axis swaps, no resampling),
    or None where the two grids are not then the same: a fast path for big volumes, where
    ``compare_in_world`` (one index triple per voxel) takes minutes."""
    ca = nib.as_closest_canonical(nib.Nifti1Image(a, affine_a))
    cb = nib.as_closest_canonical(nib.Nifti1Image(b, affine_b))
    corners = np.array([[0, 0, 0, 1], [*(np.array(ca.shape[:3]) - 1), 1]]).T
    if ca.shape != cb.shape or np.abs(ca.affine @ corners - cb.affine @ corners).max() >= 1e-3:
        return None
    return np.asarray(ca.dataobj), np.asarray(cb.dataobj)


def _mm(values) -> str:
    return " x ".join(f"{v:.4g}" for v in values) + " mm"


def grid_difference(shape_a, affine_a, shape_b, affine_b, names=("neuroview", "dcm2niix")) -> str | None:
    """What differs between two voxel grids, named: their spacing (per axis, each in its own axis
    order), their axis directions, or where they lie (the shift of their bounding boxes); None
    when none of these does. ``compare_in_world``'s "voxel centres differ by 0.05 mm" named
    none of them for a CR at 0.1 mm against dcm2niix's 1 mm, where the spacing differs. Each
    difference counts when it moves a voxel centre by 1e-3 mm or more (``compare_in_world``'s
    tolerance) somewhere in the grid."""
    affine_a, affine_b = np.asarray(affine_a, float), np.asarray(affine_b, float)
    spacing_a = np.linalg.norm(affine_a[:3, :3], axis=0)
    spacing_b = np.linalg.norm(affine_b[:3, :3], axis=0)
    steps = max(max(shape_a[:3]), max(shape_b[:3])) - 1 or 1
    if np.abs(np.sort(spacing_a) - np.sort(spacing_b)).max() * steps >= 1e-3:
        return f"spacing {_mm(spacing_a)} ({names[0]}) vs {_mm(spacing_b)} ({names[1]})"
    cosines = np.abs((affine_a[:3, :3] / spacing_a).T @ (affine_b[:3, :3] / spacing_b))
    turned = np.arccos(np.clip(cosines.max(axis=0), -1.0, 1.0)).max()
    if turned * steps * spacing_a.max() >= 1e-3:
        return f"axis directions differ by up to {np.degrees(turned):.3g} degrees"

    def box(shape, affine):
        corners = np.array(np.meshgrid(*[[0, n - 1] for n in shape[:3]], indexing="ij")).reshape(3, -1)
        ras = affine[:3, :3] @ corners + affine[:3, 3:4]
        return ras.min(axis=1), ras.max(axis=1)

    (low_a, high_a), (low_b, high_b) = box(shape_a, affine_a), box(shape_b, affine_b)
    if np.abs(low_a - low_b).max() >= 1e-3 or np.abs(high_a - high_b).max() >= 1e-3:
        shift = low_b - low_a
        if np.allclose(high_b - low_b, high_a - low_a, atol=1e-3):
            return f"{names[1]}'s grid lies ({', '.join(f'{v:.4g}' for v in shift)}) mm off {names[0]}'s"
        return f"extent {_mm(high_a - low_a)} ({names[0]}) vs {_mm(high_b - low_b)} ({names[1]})"
    return None


def _difference(ours, theirs) -> str | None:
    """None when both hold the same voxels at the same RAS positions, else how they differ."""
    a, b = _values(ours), _values(theirs)
    if a.size != b.size:
        return f"shape {a.shape} vs {b.shape}"
    if a.shape != b.shape and a.ndim > 3 and b.ndim > 3 and a.shape[3:] != b.shape[3:]:
        return f"shape {a.shape} vs {b.shape}"
    pair = _canonical_pair(a, ours.affine, b, theirs.affine)
    if pair is None:
        named = grid_difference(a.shape, ours.affine, b.shape, theirs.affine)
        if named is not None:
            return f"geometry: {named}"
        if a.size > BIG:
            return "geometry: the grids differ (too big for a voxel-by-voxel look)"
        try:
            compare_in_world(a, ours.affine, b, theirs.affine, values=False)
        except AssertionError as exc:
            return f"geometry: {str(exc).splitlines()[0]}"
        try:
            compare_in_world(a, ours.affine, b, theirs.affine, rtol=1e-5, atol=1e-4)
        except AssertionError:
            return f"values: ranges {a.min():g}..{a.max():g} vs {b.min():g}..{b.max():g}"
        return None
    gap = np.abs(pair[0] - pair[1])
    if np.all(gap <= 1e-4 + 1e-5 * np.abs(pair[1])):
        return None
    return (f"values: {np.count_nonzero(gap > 1e-4)} of {gap.size} differ, by up to {gap.max():g} "
            f"(ranges {a.min():g}..{a.max():g} vs {b.min():g}..{b.max():g})")


def _volumes(image) -> list:
    """Each time point of a NIfTI image as a 3D image (a 3D image alone)."""
    data = np.asanyarray(image.dataobj)
    if data.ndim < 4:
        return [image]
    return [nib.Nifti1Image(np.ascontiguousarray(data[..., t]), image.affine)
            for t in range(data.shape[3])]


def _time_points_matched(image, unmatched: dict) -> list[str]:
    """The names of neuroview's series whose time points, together, are those of dcm2niix's 4D
    ``image`` (each one of its time points, the same voxels), taken out of ``unmatched``; else
    ``[]``."""
    pool = {(name, t): volume for name, ours in unmatched.items()
            for t, volume in enumerate(_volumes(ours))}
    theirs = _volumes(image)
    if len(theirs) < 2 or len(theirs) > len(pool):
        return []
    used = []
    for point in theirs:
        found = next((key for key, ours in pool.items()
                      if key not in used and _difference(ours, point) is None), None)
        if found is None:
            return []
        used.append(found)
    names = list(dict.fromkeys(name for name, _ in used))
    if len(used) != sum(len(_volumes(unmatched[name])) for name in names):
        return []   # a series of ours only partly in this 4D
    for name in names:
        del unmatched[name]
    return names


def compare(ours: list[Path], theirs: list[Path]) -> tuple[str, str]:
    our_images = {p.name: nib.load(p) for p in ours}
    their_images = {p.name: nib.load(p) for p in theirs}
    notes, unmatched = [], dict(our_images)
    for name, image in their_images.items():
        if image.ndim == 4 and all(_difference(ours, image) for ours in unmatched.values()):
            series = _time_points_matched(image, unmatched)
            if series:   # one 4D there, a series per time point here (kernels, corrections)
                notes.append(f"dcm2niix's 4D {name}: its {image.shape[3]} time points are those "
                             f"of neuroview's series {', '.join(series)}")
                continue
        reasons = {}
        for our_name, our_image in unmatched.items():
            reason = _difference(our_image, image)
            if reason is None:
                types = (our_image.get_data_dtype(), image.get_data_dtype())
                if types[0] != types[1]:
                    notes.append(f"{our_name}={name} dtype {types[0]} vs {types[1]}")
                del unmatched[our_name]
                break
            reasons[our_name] = reason
        else:
            closest = ", ".join(f"{k}: {v}" for k, v in reasons.items()) or "nothing left to pair"
            notes.append(f"dcm2niix {name} [{image.shape}] has no match ({closest})")
    notes += [f"neuroview {name} {image.shape} has no match" for name, image in unmatched.items()]
    counts = f"{len(ours)} vs {len(theirs)} series"
    if len(ours) != len(theirs) or any("no match" in n for n in notes):
        return "differs", f"{counts}: " + "; ".join(notes)
    return "same", counts + ("; " + "; ".join(notes) if notes else "")


def sweep_one(name: str, files: list[Path], work: Path) -> tuple[str, str, float, float]:
    source, ours, theirs = work / "in", work / "nv", work / "d2n"
    for folder in (source, ours, theirs):
        folder.mkdir(parents=True)
    for path in files:
        (source / path.name.removesuffix(".gz")).write_bytes(_read(path))
    nv_code, nv_text, nv_s = _run([sys.executable, "-m", "neuroview", "convert", str(source),
                                   str(ours), "--no-gzip"])
    d2n_code, d2n_text, d2n_s = _run([DCM2NIIX, "-z", "n", "-b", "n", "-f", "%s_%d",
                                      "-o", str(theirs), str(source)])
    our_files, their_files = sorted(ours.glob("*.nii")), sorted(theirs.glob("*.nii"))
    if nv_code != 0 or not our_files:
        nv_line = _last_line(nv_text).replace(str(source), "IN")
        if d2n_code != 0 or not their_files:
            return "refused", f"neuroview: {nv_line} | dcm2niix: {_dcm2niix_problem(d2n_text)}", nv_s, d2n_s
        return "refused", f"neuroview only: {nv_line} (dcm2niix: {len(their_files)} series)", nv_s, d2n_s
    if d2n_code != 0 or not their_files:
        return ("refused", f"dcm2niix only: {_dcm2niix_problem(d2n_text)} "
                f"(neuroview: {len(our_files)} series)", nv_s, d2n_s)
    kind, how = compare(our_files, their_files)
    return kind, how, nv_s, d2n_s


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="", help="sweep only names containing this")
    parser.add_argument("--keep", type=Path, help="keep the converted files in this folder")
    args = parser.parse_args()
    files = installed_files()
    site = Path(nib.__file__).resolve().parents[1]
    units = {_short(p, site): [p] for p in files}
    folders = series_folders(files)
    units.update(folders)
    units = {k: v for k, v in units.items() if args.only in k}
    tally, times = Counter(), [0.0, 0.0]
    root = Path(tempfile.mkdtemp(prefix="dicom-sweep-")) if args.keep is None else args.keep
    print(f"{len(files)} files and {len(folders)} series folders; converting {len(units)}")
    try:
        for index, (name, paths) in enumerate(units.items()):
            kind, how, nv_s, d2n_s = sweep_one(name, paths, root / f"{index:03d}")
            tally[kind] += 1
            times[0] += nv_s
            times[1] += d2n_s
            print(f"{kind:<8} {name}  {how}", flush=True)
    finally:
        if args.keep is None:
            shutil.rmtree(root, ignore_errors=True)
    print("tally: " + ", ".join(f"{k} {n}" for k, n in sorted(tally.items()))
          + f" of {len(units)}")
    print(f"wall time: neuroview {times[0]:.1f} s, dcm2niix {times[1]:.1f} s, "
          f"ratio {times[0] / max(times[1], 1e-9):.1f}x (whole processes, one after the other)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
