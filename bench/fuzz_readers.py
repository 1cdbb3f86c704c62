"""Every header field of every image reader, mutated one at a time, through ``info`` and ``convert``.

``bench/input_fuzz.py`` and ``bench/kinds_fuzz.py`` draw their damage at random; this one walks
the headers systematically. Small valid templates are made in the run (NIfTI-1 ``.nii`` and
``.nii.gz``, NIfTI-2, MGH and MGZ, an attached NRRD and a detached NHDR, a classic DICOM file)
and each gets, in turn:

    field      every field (every element of ``dim``/``pixdim``/``dims``/``delta``) set to each of
               0, -1, the type's extremes, and for floats NaN, +-inf, 1e30 and 1e-30
               (text fields: bytes that are not UTF-8, a line break and a terminal escape)
    cut        the file cut at every field boundary of its header, at the header's end and
               inside the data (a ``.gz`` or ``.mgz`` is cut inside its stream, and its
               uncompressed bytes too, compressed again)
    line       (NRRD) each header line removed, or its value replaced by -1, 0, nan, 1e30,
               2^63, nothing, or 100,000 characters
    element    (DICOM) the file cut at every data element's start, and each element's length
               field set to 0xFFFFFFF0
    bomb       (gzip) a valid header followed by 6 GiB of zeros in a 6 MB file
    elements   (DICOM: ``dicom``, ``enhanced`` (highdicom's legacy conversion), ``emri``
               (pydicom's enhanced test file) and ``dicomdir`` (with its three files)) every
               element, inside sequences too, removed or set to hostile values as its VR allows
               (``bench/dicom_field_values.py``)

Each file goes through ``info``, ``convert`` and the window's open path (``Session.open`` as
*File > Open* runs it: ``bench/kinds_fuzz.py``'s stand-in; ``--no-window`` leaves it out). Two
folder templates (``--only package,dataset``) get every value of their JSON file (a model
package's ``model.json``: ``models add``; a training set's ``dataset.json``: ``dataset list``
and ``dataset add``) removed or replaced in turn by null, true, -1, 0, 2^63, NaN, 1e999, "",
5000 characters, a path out of the folder, [], {}, [[]] and 100,000 levels of nesting.

Commands run as a user runs them, many in one child process under a 4 GiB address-space limit
and a 20 s alarm each (``tests/io/limited_cli.py``); a child that dies (a crash in a decoder)
is run again one command at a time to find the file. Outcomes per command:

    ok       refused in one line naming the file (exit 1)
    read     exit 0 (what convert wrote has a finite, invertible affine and finite voxels)
    BAD      trace (a traceback or internal error), noname (the last line names no file),
             hang (the alarm), memory (resident peak raised by 256 MiB or more, or the limit
             hit: the templates are a few kB; 1 GiB for the folders, where torch is imported),
             crash (the process died), garbage (exit 0 but the written NIfTI, or the volume
             the window opened, has a NaN or singular affine, or NaN voxels), lines (refused in
             more than one line, notes and warnings aside; ``segment``'s batches say each case)

``bench/fuzz_damage.py`` adds the everyday damage (every file cut at each 64th of its length, a
16th of it zeroed, header bytes changed; a gzip stream so damaged too) and the templates
``mha``, ``mhd``, ``seg``, ``labels``, ``segjson`` and ``worklist`` (``segment``); the JSON of
the folders is also cut at each 64th. ``--attacks "cut ,zero,flip,stream"`` runs only those.

Prints one table (template x outcome), every BAD command, and the distinct reasons given (paths
and numbers taken out) so that vague ones can be read.

    nice -n 5 python bench/fuzz_readers.py [--seed 0] [--only nifti1,mgz,package] [--limit N]
        [--attacks PREFIXES] [--segment] [--json FILE]
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import struct
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "io" / "dicom")]
from bench.dicom_field_values import (  # noqa: E402
    dataset_mutations,
    dicomdir_files,
    emri_bytes,
    enhanced_bytes,
)
from bench.fuzz_damage import damage_mutations, more_templates  # noqa: E402
from bench.kinds_fuzz import _written_affine_bad, classify  # noqa: E402
from tests.io.limited_cli import run_limited  # noqa: E402

SECONDS = 20
MAX_PEAK = 256 << 20
BATCH = 40
BAD = {"trace", "noname", "hang", "memory", "crash", "garbage", "lines"}
ENTRY, WINDOW = "LIMITED_CLI_ENTRY", "bench.kinds_fuzz:window_stand_in"
"""The window's open path (``Session.open``, as *File > Open* runs it) as a command."""


# --- templates: (name, file name, bytes, header dtype or None, gzip?) -------------------------

def _volume():
    rng = np.random.default_rng(0)
    return (rng.integers(0, 1000, (12, 10, 6))).astype(np.int16)


def _nibabel_bytes(image_class, suffix: str) -> bytes:
    import nibabel as nib

    affine = np.diag([1.5, 1.2, 3.0, 1.0])
    affine[:3, 3] = [-9, -6, -9]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"t{suffix}"
        nib.save(image_class(_volume(), affine), path)
        return path.read_bytes()


def _nrrd_bytes(detached: bool) -> tuple[bytes, bytes]:
    header = ("NRRD0004\ntype: short\ndimension: 3\nspace: left-posterior-superior\n"
              "sizes: 12 10 6\nspace directions: (1.5,0,0) (0,1.2,0) (0,0,3)\n"
              "kinds: domain domain domain\nendian: little\nencoding: raw\n"
              "space origin: (-9,-6,-9)\n")
    data = np.asfortranarray(_volume()).tobytes(order="F")
    if detached:
        return (header + "data file: t.raw\n\n").encode(), data
    return (header + "\n").encode() + data, b""


def _dicom_bytes() -> bytes:
    from raw_series import write_raw_series

    with tempfile.TemporaryDirectory() as tmp:
        write_raw_series(Path(tmp), n=1, PatientID="FUZZ")
        return next(p for p in sorted(Path(tmp).iterdir()) if p.is_file()).read_bytes()


def templates() -> dict[str, dict]:
    import nibabel as nib
    from nibabel.freesurfer.mghformat import hf_dtype

    nifti1 = _nibabel_bytes(nib.Nifti1Image, ".nii")
    mgh = _nibabel_bytes(nib.MGHImage, ".mgh")
    nrrd, _ = _nrrd_bytes(False)
    nhdr, raw = _nrrd_bytes(True)
    dicomdir = dicomdir_files()
    return {
        "nifti1": {"name": "t.nii", "data": nifti1, "dtype": nib.nifti1.header_dtype, "gz": False},
        "nifti1gz": {"name": "t.nii.gz", "data": nifti1, "dtype": nib.nifti1.header_dtype, "gz": True},
        "nifti2": {"name": "t.nii", "data": _nibabel_bytes(nib.Nifti2Image, ".nii"),
                   "dtype": nib.nifti2.header_dtype, "gz": False},
        "mgh": {"name": "t.mgh", "data": mgh, "dtype": hf_dtype, "gz": False},
        "mgz": {"name": "t.mgz", "data": mgh, "dtype": hf_dtype, "gz": True},
        "nrrd": {"name": "t.nrrd", "data": nrrd, "dtype": None, "gz": False},
        "nhdr": {"name": "t.nhdr", "data": nhdr, "dtype": None, "gz": False, "beside": {"t.raw": raw}},
        "dicom": {"name": "t.dcm", "data": _dicom_bytes(), "dtype": None, "gz": False,
                  "elements": True},
        "enhanced": {"name": "t.dcm", "data": enhanced_bytes(), "dtype": None, "gz": False,
                     "elements": True},
        "emri": {"name": "t.dcm", "data": emri_bytes(), "dtype": None, "gz": False,
                 "elements": True},
        "dicomdir": {"name": "DICOMDIR", "data": dicomdir[0], "dtype": None, "gz": False,
                     "beside": dicomdir[1], "elements": True},
        **more_templates(),
    }


# --- mutations: each (attack name, bytes of the file, gz?) -------------------------------------

def _values(kind: str, size: int) -> list:
    if kind == "f":
        big = 1e30 if size == 4 else 1e300
        return [0.0, -1.0, float("nan"), float("inf"), float("-inf"), big, 1e-30]
    if kind in "iu":
        bits = 8 * size
        low, high = (-(1 << (bits - 1)), (1 << (bits - 1)) - 1) if kind == "i" else (0, (1 << bits) - 1)
        return sorted({0, -1 if kind == "i" else 1, low, high, 2, 1 << min(bits - 2, 20)})
    return [b"\xff\xfe\x80", b"a\nb\x1b[31m", b"\0"]


def field_mutations(data: bytes, dtype: np.dtype) -> list[tuple[str, bytes]]:
    out = []
    for field in dtype.names:
        base, offset = dtype.fields[field][0], dtype.fields[field][1]
        sub, shape = (base.subdtype or (base, ()))
        count = int(np.prod(shape)) if shape else 1
        for element in range(count):
            at = offset + element * sub.itemsize
            for value in _values(sub.kind, sub.itemsize):
                if sub.kind == "S":
                    raw = (value * sub.itemsize)[:sub.itemsize]
                else:
                    raw = np.array(value, dtype=sub).tobytes()
                name = f"{field}[{element}]={value!r}" if count > 1 else f"{field}={value!r}"
                out.append((name, data[:at] + raw + data[at + sub.itemsize:]))
    return out


def cut_points(data: bytes, dtype: np.dtype | None) -> list[int]:
    points = set()
    if dtype is not None:
        for field in dtype.names:
            points.add(dtype.fields[field][1])
        points.add(dtype.itemsize)
    points |= {1, len(data) // 2, len(data) - 1}
    return sorted(p for p in points if 0 < p < len(data))


def nrrd_line_mutations(data: bytes) -> list[tuple[str, bytes]]:
    head, sep, body = data.partition(b"\n\n")
    lines = head.split(b"\n")
    out = []
    for index, line in enumerate(lines[1:], start=1):
        key, colon, _ = line.partition(b":")
        out.append((f"drop {key.decode()}", b"\n".join(lines[:index] + lines[index + 1:]) + sep + body))
        for value in (b"-1", b"0", b"nan", b"1e30", b"9223372036854775808", b"", b"7" * 100000,
                      b"(nan,0,0) (0,1,0) (0,0,1)"):
            edited = lines[:index] + [key + b": " + value] + lines[index + 1:]
            out.append((f"{key.decode()}: {value[:12].decode()}", b"\n".join(edited) + sep + body))
    return out


def dicom_elements(data: bytes) -> list[tuple[int, int]]:
    """(start, length-field offset) of each top-level explicit-VR little-endian element after the
    preamble (the raw series templates are explicit VR little endian)."""
    at, found = 132, []
    while at + 8 <= len(data):
        vr = data[at + 4:at + 6]
        if vr in (b"OB", b"OW", b"OF", b"SQ", b"UT", b"UN", b"OD", b"OL", b"UC", b"UR", b"OV"):
            length_at, length, head = at + 8, struct.unpack_from("<I", data, at + 8)[0], 12
        else:
            length_at, length, head = at + 6, struct.unpack_from("<H", data, at + 6)[0], 8
        found.append((at, length_at))
        if length == 0xFFFFFFFF:
            break
        at += head + length
    return found


def dicom_mutations(data: bytes) -> list[tuple[str, bytes]]:
    out = []
    for start, length_at in dicom_elements(data):
        tag = "%04x,%04x" % struct.unpack_from("<HH", data, start)
        out.append((f"cut at ({tag})", data[:start]))
        width = 4 if length_at - start == 8 else 2
        huge = b"\xf0\xff\xff\xff" if width == 4 else b"\xff\xff"
        out.append((f"({tag}) length {huge.hex()}", data[:length_at] + huge + data[length_at + width:]))
    return out


def mutations(template: dict) -> list[tuple[str, bytes, bool]]:
    data, dtype, gz = template["data"], template["dtype"], template["gz"]
    found: list[tuple[str, bytes, bool]] = []
    if dtype is not None:
        found += [(name, mutated, gz) for name, mutated in field_mutations(data, dtype)]
    if template["name"].endswith((".nrrd", ".nhdr")):
        found += [(name, mutated, False) for name, mutated in nrrd_line_mutations(data)]
    if template["name"].endswith(".dcm"):
        found += [(name, mutated, False) for name, mutated in dicom_mutations(data)]
    if template.get("elements"):
        found += [(name, mutated, False) for name, mutated in dataset_mutations(data)]
    found += [(f"cut at {p}", data[:p], gz) for p in cut_points(data, dtype)]
    header = dtype.itemsize if dtype is not None else 1024
    found += [(name, mutated, gz) for name, mutated in damage_mutations(data, template["name"], header)]
    if gz:
        whole = gzip.compress(data)
        found += [(f"stream cut at {p}", whole[:p], False) for p in (10, 30, len(whole) // 2, len(whole) - 4)]
        found += [(f"stream {name}", mutated, False)
                  for name, mutated in damage_mutations(whole, template["name"] + ".gz", 64)]
        head = data[:(dtype.itemsize if dtype is not None else 352)]
        member = gzip.compress(bytes(64 << 20), compresslevel=9)
        found.append(("bomb 6 GiB", gzip.compress(head) + member * 96, False))
    return found


# --- JSON in folders: every value of model.json / dataset.json, one at a time --------------------

JSON_VALUES = [None, True, -1, 0, 2 ** 63, float("nan"), "__1E999__", "", "x" * 5000,
               "../../outside.txt", "/etc/passwd", [], {}, [[]], "__NEST__"]
"""What each JSON value is replaced by (``bench/folder_fuzz.py``'s literals: 1e999, and 100,000
levels of nesting), besides removing its key."""
JSON_FOLDERS = {"package": "model.json", "dataset": "dataset.json"}


def json_mutations(data) -> list[tuple[str, str]]:
    from bench.folder_fuzz import _dumps, _paths

    out = []
    for path in [p for p in _paths(data) if p]:
        for value in ["__DEL__", *JSON_VALUES]:
            copy = json.loads(json.dumps(data))
            parent = copy
            for key in path[:-1]:
                parent = parent[key]
            if value == "__DEL__":
                if not isinstance(parent, dict):
                    continue
                del parent[path[-1]]
            else:
                parent[path[-1]] = value
            said = "del" if value == "__DEL__" else repr(value)[:16]
            out.append((f"{'.'.join(map(str, path))}={said}", _dumps(copy)))
    return out


def folder_templates(root: Path) -> dict[str, Path]:
    import contextlib
    import io

    from bench.folder_fuzz import make_dataset, make_package

    with contextlib.redirect_stdout(io.StringIO()):   # what dataset init/add print
        return {"package": make_package(root / "templates" / "package"),
                "dataset": make_dataset(root / "templates" / "ds", root / "templates" / "home")}


def folder_commands(key: str, folder: Path, templates_root: Path) -> list[tuple[str, list[str]]]:
    if key == "package":
        return [("models add", ["models", "add", str(folder)])]
    image, mask = templates_root / "ds" / "img2.nii.gz", templates_root / "ds" / "mask.nii.gz"
    return [("dataset list", ["dataset", "list", str(folder)]),
            ("dataset add", ["dataset", "add", str(folder), "--image", str(image), "--labels",
                             str(mask), "--annotator", "fuzz"])]


def run_folders(root: Path, keys: list[str], rng: random.Random, limit: int,
                attacks: tuple[str, ...] = ()) -> list[dict]:
    """The JSON family: each mutated file in a copy of its folder, through the commands that
    read it (``models add``; ``dataset list`` and ``dataset add``)."""
    import shutil

    sources = folder_templates(root)
    names = {key: json.loads((source / JSON_FOLDERS[key]).read_text()).get("name") for key, source in
             sources.items()}
    cases = []
    for key in keys:
        source = sources[key]
        found = json_mutations(json.loads((source / JSON_FOLDERS[key]).read_text()))
        text = (source / JSON_FOLDERS[key]).read_text()   # the file cut short
        found += [(f"cut {k}/64", text[:len(text) * k // 64]) for k in range(1, 64)]
        if attacks:
            found = [(name, text) for name, text in found if name.startswith(attacks)]
        if limit and len(found) > limit:
            found = rng.sample(found, limit)
        cases += [(key, name, text) for name, text in found]
    records = []
    for start in range(0, len(cases), BATCH):
        commands, where = [], []
        for offset, (key, name, text) in enumerate(cases[start:start + BATCH]):
            case_dir = root / f"j{start + offset:05d}"
            folder = case_dir / "in" / sources[key].name
            shutil.copytree(sources[key], folder, symlinks=True)
            if key == "package":   # each its own model: not "already installed" after one add
                text = text.replace(f'"name": "{names[key]}"', f'"name": "fuzz{start + offset}"', 1)
            (folder / JSON_FOLDERS[key]).write_text(text)
            for verb, argv in folder_commands(key, folder, root / "templates"):
                commands.append(argv)
                where.append((key, name, verb, case_dir))
        home = root / f"home{start}"
        for (key, name, verb, case_dir), result in zip(where, _run(commands, {"NEUROVIEW_HOME": str(home)})):
            records.append(_record(key, name, verb, case_dir, result))
    return records


# --- running -----------------------------------------------------------------------------------

def _write_case(root: Path, index: int, template: dict, data: bytes, gz: bool) -> Path:
    folder = root / f"c{index:05d}" / "in"
    folder.mkdir(parents=True)
    path = folder / template["name"]
    path.write_bytes(gzip.compress(data) if gz else data)
    for name, extra in template.get("beside", {}).items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(extra)
    return path


def _image_and_labels(template: dict, path: Path) -> tuple[str, str]:
    """What is opened, and what is given as its labels ("" for none)."""
    if template.get("role", "image") == "image":
        return str(path), ""
    folder = path.parent
    image = folder / template.get("image", "image.nii.gz")
    return str(image), str(folder / template.get("labels", path.name))


def commands_for(template: dict, path: Path, segment: bool) -> list[tuple[str, list[str]]]:
    """The commands a template's file goes through, by its ``role`` (``bench/fuzz_damage.py``)."""
    out = path.parent.parent / "out"
    role = template.get("role", "image")
    if role == "worklist":
        return [("segment", ["segment", str(path), "-o", str(out / "masks"), "--device", "cpu"])]
    image, labels = _image_and_labels(template, path)
    found = [] if path.suffix == ".json" else [("info", ["info", str(path)])]
    found += [("convert", ["convert", image, str(out) + "/"] + (["--labels", labels] if labels else []))]
    if segment and role == "image":
        found.append(("segment", ["segment", image, "-o", str(out / "seg.nii.gz"), "--device", "cpu"]))
    return found


def _run(commands: list[list[str]], env: dict) -> list[dict]:
    """All in one child; when it dies, one child a command, a dead one recorded as a crash."""
    try:
        return run_limited(commands, seconds=SECONDS, env=env)
    except (AssertionError, subprocess.TimeoutExpired, json.JSONDecodeError):
        if len(commands) == 1:
            return [{"rc": "crash", "stdout": "", "stderr": "the process died", "peak_rss": 0,
                     "seconds": 0.0}]
        return [r for argv in commands for r in _run([argv], env)]


def judge(result: dict, case_dir: Path, verb: str, max_peak: int = MAX_PEAK) -> tuple[str, str]:
    if result["rc"] == "crash":
        return "crash", result["stderr"]
    outcome, detail = classify(result, case_dir, verb)
    if outcome in ("ok", "read") and result["peak_rss"] >= max_peak:
        return "memory", f"{result['peak_rss'] >> 20} MiB"
    if outcome == "read" and verb == "convert":
        bad = _written_affine_bad(case_dir / "out")
        if bad:
            return "garbage", bad
    if outcome == "read" and verb == "window" and result["stdout"].startswith("garbage:"):
        return "garbage", result["stdout"].strip()   # what the window would show (window_stand_in)
    said = [line for line in result["stderr"].splitlines() if line.strip()
            and not line.startswith(("note:", "warning:", "neuroview: warning:"))]
    if outcome == "ok" and verb != "segment" and len(said) > 1:   # a batch says each case
        return "lines", " / ".join(said)
    return outcome, detail


def _record(key: str, name: str, verb: str, case_dir: Path, result: dict) -> dict:
    torch = key in JSON_FOLDERS or verb == "segment"   # importing torch alone takes ~250 MiB
    outcome, detail = judge(result, case_dir, verb, 1 << 30 if torch else MAX_PEAK)
    if outcome in BAD:
        print(f"BAD {outcome:8s} {key}/{name} {verb}: {detail[:200]}", flush=True)
    return {"template": key, "attack": name, "verb": verb, "outcome": outcome, "detail": detail[:300],
            "seconds": round(result["seconds"], 2), "peak_mib": result["peak_rss"] >> 20}


def _reason(detail: str) -> str:
    text = re.sub(r"/\S+", "FILE", detail)
    return re.sub(r"\d+(\.\d+)?(e[-+]?\d+)?", "N", text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0, help="orders and samples the cases")
    parser.add_argument("--only", default=None, help="only these templates (comma-separated)")
    parser.add_argument("--limit", type=int, default=0, help="at most N cases a template (sampled)")
    parser.add_argument("--json", default=None, help="write every record here")
    parser.add_argument("--attacks", default=None,
                        help="only attacks whose name starts with one of these (comma-separated: "
                             "'cut ,zero,flip,stream' is bench/fuzz_damage.py's everyday damage)")
    parser.add_argument("--segment", action="store_true",
                        help="image files also through 'segment' with the bundled model")
    parser.add_argument("--no-window", action="store_true",
                        help="leave out the window's open path (kinds_fuzz's stand-in for it)")
    args = parser.parse_args()

    rng = random.Random(args.seed)
    chosen = {k: t for k, t in templates().items() if args.only is None or k in args.only.split(",")}
    cases = []
    for key, template in chosen.items():
        found = mutations(template)
        if args.attacks:
            found = [m for m in found if m[0].startswith(tuple(args.attacks.split(",")))]
        if args.limit and len(found) > args.limit:
            found = rng.sample(found, args.limit)
        cases += [(key, name, data, gz) for name, data, gz in found]
    rng.shuffle(cases)

    records = []
    with tempfile.TemporaryDirectory(prefix="fuzz_readers_") as tmp:
        root = Path(tmp)
        env = {"NEUROVIEW_HOME": str(root / "home")}
        for start in range(0, len(cases), BATCH):
            batch, commands, opens, where, window = cases[start:start + BATCH], [], [], [], []
            for offset, (key, name, data, gz) in enumerate(batch):
                path = _write_case(root, start + offset, chosen[key], data, gz)
                case_dir = path.parent.parent
                for verb, argv in commands_for(chosen[key], path, args.segment):
                    commands.append(argv)
                    where.append((key, name, verb, case_dir))
                if not args.no_window and chosen[key].get("role", "image") != "worklist":
                    opens.append(["open", *_image_and_labels(chosen[key], path), ""])
                    window.append((key, name, "window", case_dir))
            results = _run(commands, env) + (_run(opens, {**env, ENTRY: WINDOW}) if opens else [])
            for (key, name, verb, case_dir), result in zip(where + window, results):
                records.append(_record(key, name, verb, case_dir, result))
        folders = [k for k in JSON_FOLDERS if args.only is None or k in args.only.split(",")]
        if folders:
            records += run_folders(root, folders, rng, args.limit,
                                   tuple(args.attacks.split(",")) if args.attacks else ())

    outcomes = ["ok", "read", *sorted(BAD)]
    table = defaultdict(Counter)
    for r in records:
        table[r["template"]][r["outcome"]] += 1
    print(f"\n{'template':10s}" + "".join(f"{o:>9s}" for o in outcomes) + "   slowest s  peak MiB")
    for key in dict.fromkeys(r["template"] for r in records):
        mine = [r for r in records if r["template"] == key]
        print(f"{key:10s}" + "".join(f"{table[key][o]:9d}" for o in outcomes)
              + f"   {max((r['seconds'] for r in mine), default=0):9.2f}"
              + f"  {max((r['peak_mib'] for r in mine), default=0):8d}")
    print(f"{len({(r['template'], r['attack']) for r in records})} files, {len(records)} commands, "
          f"BAD {sum(1 for r in records if r['outcome'] in BAD)}")
    reasons = Counter(_reason(r["detail"]) for r in records if r["outcome"] == "ok")
    print("\ndistinct reasons (FILE = the file's path, N = a number), most frequent first:")
    for reason, count in reasons.most_common():
        print(f"{count:5d}  {reason[:160]}")
    if args.json:
        Path(args.json).write_text(json.dumps(records, indent=1))


if __name__ == "__main__":
    main()
