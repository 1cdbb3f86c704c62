"""Hostile editor files: the crash journal, label sidecars and model cards behind ``--json``.

``bench/folder_fuzz.py``'s sibling: each case is one random attack on a valid template made in the
run, then the commands that read it, each under a 4 GiB address-space limit and a 60 s alarm
(``tests/io/limited_cli.py``):

    journal   the segment editor's workspace (``workspace.json``, ``journal-G.bin``, ``base-G.npz``,
              ``segments.json``, ``proposal.npz``; strokes, an undo, a redo, a compaction, more
              strokes, a model's result) ->
              opening its image as the window does, then one stroke (``bench/window_steps.py``)
    sidecar   a label map's ``NAME.segments.json`` -> *File > Load labels* and *Save labels* as the
              window does them, ``snapshot --labels``, ``dataset add --labels``
    card      an installed model's ``model.json`` -> ``models list --json``, ``models compare``,
              ``models compare --dataset --json``

Attacks: the file cut short, 1-8 bits flipped, a JSON value replaced by another type, NaN, inf,
1e999, 2^63, 100,000 levels of nesting or a key removed (``folder_fuzz.mutate_json``), a journal
record's header so mutated and sealed with a valid CRC, a file made huge (sparse, 6 GiB), a base
holding a 2 GiB label map in 2 MB (a zip of zeros), a symlink to ``/dev/zero`` or to a file
outside, a named pipe, the workspace of another image, one written by a newer version
(``version`` 3, a record of magic ``NVJ3``). Outcomes:

    ok     one line naming the file's folder (exit 1)
    read   exit 0 (restored, or the attack hit something not needed)
    BAD    a traceback (in the window: an exception inside a Qt slot), an internal error, a time-out,
           over 1 GiB resident, a line that names no file, a ``--json`` output that is not strict
           JSON, a restore giving a label map the session never had without saying that steps
           were lost, a workspace file gone (not in the workspace, its ``damaged-*`` copy, nor in
           the folder it was set aside to), the image changed

    nice -n 5 python bench/editor_fuzz.py [--cases 150] [--seed 0]
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import io
import json
import os
import random
import shutil
import struct
import sys
import tempfile
import zipfile
import zlib
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "ai")]
from bench.folder_fuzz import make_dataset, make_package, mutate_json, snapshot  # noqa: E402
from bench.window_steps import digest  # noqa: E402
from tests.io.limited_cli import ENTRY, run_limited  # noqa: E402

MAX_PEAK = 1 << 30
SECRET = "another-users-secret-7f3a"
HEAD = struct.Struct("<4sII")


# -- templates ------------------------------------------------------------------------------------
def make_workspace(work: Path) -> tuple[Path, Path, set[str], Path]:
    """An image, its workspace (compacted once, then more edits) and the digests of every label
    map the session went through; plus a workspace of another image."""
    from neuroview.app import workspace_lock
    from neuroview.app.case import Case
    from neuroview.app.session import Session
    from neuroview.io import load
    from neuroview.io.nifti import save_nifti

    rng = np.random.default_rng(0)
    image = work / "img.nii.gz"
    save_nifti(rng.normal(100, 20, (20, 22, 18)).astype(np.float32), np.diag([1.0, 1.0, 1.5, 1.0]), image)
    volume, ws = load(image), work / "ws"
    states = set()
    session = Session(volume, ws)
    lesion = session.segments.add("lesion")
    states.add(digest(session.labels.array))
    for k in range(12):
        at = tuple(float(v) for v in volume.ijk_to_ras @ np.array([3 + k, 4 + k, 3 + k % 9, 1.0]))[:3]
        session.apply("paint", at_ras=at, radius_mm=2.5, mode="3d", segment=lesion)
        if k == 4:
            session.undo()
            states.add(digest(session.labels.array))
            session.redo()
        if k == 6:
            session.checkpoint()
            session.segments.add("edema")
        states.add(digest(session.labels.array))
    session.close()
    case = Case.open(volume, ws)   # a model's result too: the workspace's proposal.npz
    model = np.zeros(volume.shape, np.uint8)
    model[10:14, 10:14, 8:12] = 1
    case.apply_model_result(model, {1: "lesion"}, model="m@1.0.0")
    states.add(digest(case.labels.array))
    case.session.journal.close()   # killed: the journal stays, nothing saved
    workspace_lock.release(ws)
    other_image = work / "other.nii.gz"
    save_nifti(rng.normal(0, 1, (12, 12, 12)).astype(np.float32), np.eye(4), other_image)
    other = Session(load(other_image), work / "ws-other")
    other.apply("paint", at_ras=(5.0, 5.0, 5.0), radius_mm=2.0, mode="3d", segment=other.segments.add("x"))
    other.close()
    return image, ws, states, work / "ws-other"


def make_labels(work: Path, image: Path) -> Path:
    from neuroview.app.session import Session
    from neuroview.io import load

    session = Session(load(image))
    for name, radius in (("lesion", 3.0), ("edema", 5.0)):
        session.apply("paint", at_ras=(8.0 + radius, 9.0, 12.0), radius_mm=radius, mode="3d",
                      segment=session.segments.add(name))
    return session.save_labels(work / "mask.nii.gz")


def zip_bomb(path: Path, shape=(2048, 1024, 1024)) -> None:
    """An ``.npz`` whose ``labels`` is a uint8 array of ``shape`` (2 GiB) in a few MB of zeros."""
    header = np.lib.format.header_data_from_array_1_0(np.zeros(1, np.uint8))
    header["shape"] = shape
    buffer = io.BytesIO()
    np.lib.format.write_array_header_1_0(buffer, header)
    zeros = bytes(64 << 20)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("labels.npy", "w", force_zip64=True) as member:
            member.write(buffer.getvalue())
            for _ in range(int(np.prod(shape)) // len(zeros)):
                member.write(zeros)
        archive.writestr("segments.npy", _npy(np.array("[]")))


def _npy(array: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    np.save(buffer, array)
    return buffer.getvalue()


# -- attacks --------------------------------------------------------------------------------------
def flip_bits(path: Path, rng: random.Random) -> str:
    data = bytearray(path.read_bytes())
    for _ in range(rng.randint(1, 8)):
        bit = rng.randrange(len(data) * 8)
        data[bit // 8] ^= 1 << bit % 8
    path.write_bytes(bytes(data))
    return "bits flipped"


def cut_short(path: Path, rng: random.Random) -> str:
    size = path.stat().st_size
    keep = rng.randrange(size)
    os.truncate(path, keep)
    return f"cut to {keep} of {size} bytes"


def plant(path: Path, rng: random.Random, outside: Path) -> str:
    kind = rng.choice(["dev_zero", "outside", "pipe", "huge"])
    path.unlink(missing_ok=True)
    if kind == "dev_zero":
        path.symlink_to("/dev/zero")
    elif kind == "outside":
        path.symlink_to(outside / "secret.txt")
    elif kind == "pipe":
        os.mkfifo(path)
    else:
        with open(path, "wb") as handle:
            handle.truncate(6 << 30)
    return kind


def records(data: bytes) -> list[tuple[int, int]]:
    """(start, end) of each intact journal record."""
    found, pos = [], 0
    while pos + HEAD.size <= len(data):
        magic, length, crc = HEAD.unpack_from(data, pos)
        end = pos + HEAD.size + length
        if magic not in (b"NVJ1", b"NVJ2") or end > len(data) or zlib.crc32(data[pos + HEAD.size:end]) != crc:
            break
        found.append((pos, end))
        pos = end
    return found


def reseal_header(journal: Path, rng: random.Random) -> str:
    """One record's header JSON mutated and sealed with a valid CRC (no torn write: a hostile one)."""
    data = journal.read_bytes()
    start, end = rng.choice(records(data))
    payload = data[start + HEAD.size:end]
    (head_len,) = struct.unpack_from("<I", payload)
    what, text = mutate_json(json.loads(payload[4:4 + head_len]), rng)
    head = text.encode()
    payload = struct.pack("<I", len(head)) + head + payload[4 + head_len:]
    record = HEAD.pack(data[start:start + 4], len(payload), zlib.crc32(payload)) + payload
    journal.write_bytes(data[:start] + record + data[end:])
    return f"record at {start} header {what}"


def newer_record(journal: Path, rng: random.Random) -> str:
    payload = struct.pack("<I", 2) + b"{}" + bytes(rng.randrange(64))
    with open(journal, "ab") as handle:
        handle.write(HEAD.pack(b"NVJ3", len(payload), zlib.crc32(payload)) + payload)
    return "a record of a newer version (NVJ3) appended"


def attack_workspace(ws: Path, rng: random.Random, outside: Path, other: Path) -> tuple[str, bool]:
    """``(what, sealed)``: ``sealed`` when the damage passes every check a torn write fails."""
    files = {p.name: p for p in ws.iterdir()}
    journal = next(p for name, p in files.items() if name.startswith("journal-"))
    base = next(p for name, p in files.items() if name.startswith("base-"))
    kind = rng.choice(["cut", "bits", "json", "reseal", "reseal", "plant", "bomb", "other",
                       "newer", "newer"])
    if kind == "cut":
        target = rng.choice([journal, journal, base, files["workspace.json"], files["proposal.npz"]])
        return f"{target.name} {cut_short(target, rng)}", False
    if kind == "bits":
        target = rng.choice([journal, journal, base, files["workspace.json"], files["segments.json"],
                             files["proposal.npz"]])
        return f"{target.name} {flip_bits(target, rng)}", False
    if kind == "json":
        target = rng.choice([files["workspace.json"], files["segments.json"]])
        what, text = mutate_json(json.loads(target.read_text()), rng)
        target.write_text(text)
        return f"{target.name} {what}", True
    if kind == "reseal":
        return f"{journal.name} {reseal_header(journal, rng)}", True
    if kind == "plant":
        target = rng.choice([journal, base, files["workspace.json"], files["segments.json"],
                             files["proposal.npz"]])
        return f"{target.name} {plant(target, rng, outside)}", True
    if kind == "bomb":
        target = rng.choice([base, files["proposal.npz"]])
        shutil.copy(outside / "bomb.npz", target)
        return f"{target.name} a 2 GiB label map in a zip of zeros", True
    if kind == "other":
        if rng.random() < 0.5:
            shutil.rmtree(ws)
            shutil.copytree(other, ws)
            return "the workspace of another image", True
        meta = json.loads(files["workspace.json"].read_text())
        shutil.copy(other / "journal-0.bin", journal)
        return f"journal of another image (generation {meta['generation']})", True
    if rng.random() < 0.5:
        meta = json.loads(files["workspace.json"].read_text())
        meta["version"] = 3
        files["workspace.json"].write_text(json.dumps(meta))
        return "workspace.json version 3", True
    return f"{journal.name} {newer_record(journal, rng)}", True


def attack_file(path: Path, rng: random.Random, outside: Path) -> str:
    choice = rng.random()
    if choice < 0.6:
        what, text = mutate_json(json.loads(path.read_text()), rng)
        path.write_text(text)
        return what
    if choice < 0.75:
        return flip_bits(path, rng)
    if choice < 0.85:
        return cut_short(path, rng)
    return plant(path, rng, outside)


def renamed(card: Path, name: str) -> bool:
    """The card is readable and names another model (or version) than the one installed."""
    with contextlib.suppress(ValueError, OSError, RecursionError, AttributeError):
        data = json.loads(card.read_text()) if card.is_file() and card.stat().st_size < 1 << 20 else {}
        return isinstance(data, dict) and (data.get("name") != name or data.get("version") != "1.0.0")
    return False


# -- verdicts -------------------------------------------------------------------------------------
def strict_json(text: str) -> str:
    """'' when ``text`` is JSON that any reader takes (no NaN / Infinity), else why not."""
    def refuse(name):
        raise ValueError(f"{name} is not JSON")
    try:
        json.loads(text, parse_constant=refuse)
    except ValueError as exc:
        return str(exc)[:80]
    return ""


def verdict(folder: Path, result: dict, argv: list[str]) -> str:
    lines = result["stderr"].strip().splitlines()
    ours = [line for line in lines if line.startswith("neuroview:")]
    if result["rc"] in ("timeout", "traceback"):
        return f"BAD {result['rc']}: {(lines or ['?'])[-1][:160]}"
    if result["peak_rss"] > MAX_PEAK:
        return f"BAD resident peak +{result['peak_rss'] >> 20} MiB"
    notes = [line for line in lines if line.startswith("note:")]
    if lines and (len(ours) != 1 or lines[-1] != ours[0]) and len(notes) != len(lines):
        return f"BAD {len(lines)} lines: {' / '.join(lines)[:200]}"
    # a workspace is named by its folder's own name (core/workspace_names.py: never the path in
    # the user's home), its files as ``workspace KEY/journal-0.bin``
    named = str(folder) in ours[0] if ours else False
    named = named or bool(ours) and ours[0].startswith("neuroview: workspace ")
    if ours and ("internal error" in ours[0] or not named):
        return f"BAD line: {ours[0][:200]}"
    if result["rc"] == 0 and "--json" in argv:
        out = argv[argv.index("--json") + 1] if argv[argv.index("--json") + 1:] else ""
        text = Path(out).read_text() if out.endswith(".json") and Path(out).exists() else result["stdout"]
        problem = strict_json(text)
        if problem:
            return f"BAD --json output: {problem}"
    return "ok" if ours else "read"


def kept(ws: Path, before: dict[str, int]) -> str:
    """Which workspace files are gone: in neither the workspace nor a folder it was set aside to."""
    places = [ws, *ws.parent.glob(ws.name + ".discarded-*")]
    places += [kept for place in list(places) for kept in place.glob("damaged-*")]   # a damaged journal
    gone = [name for name in before if not any(os.path.lexists(place / name) for place in places)]
    return f"BAD workspace files lost: {gone[:3]}" if gone else ""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=150)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    work = Path(tempfile.mkdtemp(prefix="editor-fuzz-"))
    home, outside, templates = work / "home", work / "outside", work / "templates"
    outside.mkdir(parents=True)
    (outside / "secret.txt").write_text(SECRET)
    zip_bomb(outside / "bomb.npz")
    with contextlib.redirect_stdout(io.StringIO()):
        templates.mkdir()
        image, ws_template, states, other_ws = make_workspace(templates)
        mask = make_labels(templates, image)
        dataset = make_dataset(templates / "ds", templates / "dshome")
        package = make_package(templates / "package")
    image_hash = hashlib.sha256(image.read_bytes()).hexdigest()
    env = {"NEUROVIEW_HOME": str(home)}
    base_card = json.loads((package / "model.json").read_text())
    base_card["metrics"] = {   # figures for the attacks to hit: list --json and compare print them
        "held_out_dice": {"lesion": 0.71}, "held_out_split": "fuzz-split", "held_out_cases": 1,
        "held_out_lesionwise": {"dice": 0.6, "sensitivity": 0.5, "false_positives_per_case": 1.0,
                                "f1": 0.5, "cases": 1, "lesions": 2, "found": 1}}
    for name in ("base", "other"):   # two good models to compare the damaged one with
        folder = templates / name / package.name
        shutil.copytree(package, folder)
        (folder / "model.json").write_text(json.dumps(dict(base_card, name=name)))
        run_limited([["models", "add", str(folder)]], seconds=60, env=env)
    tally, bad, kinds = Counter(), 0, Counter()
    for k in range(args.cases):
        kind = rng.choice(["journal", "journal", "sidecar", "card"])
        kinds[kind] += 1
        case = work / "cases" / f"{k:04d}"
        case.mkdir(parents=True)
        sealed, entry = True, None
        if kind == "journal":
            ws = case / "ws"
            shutil.copytree(ws_template, ws)
            label, sealed = attack_workspace(ws, rng, outside, other_ws)
            folder, files = ws, {p.name: 0 for p in ws.iterdir()}
            argvs, entry = [[str(image), str(ws)]], "bench.window_steps:open_image"
        elif kind == "sidecar":
            folder = case
            for source in (mask, mask.with_name("mask.segments.json")):
                shutil.copy(source, case / source.name)
            label = f"mask.segments.json {attack_file(case / 'mask.segments.json', rng, outside)}"
            ds = case / "ds" / dataset.name
            shutil.copytree(dataset, ds)
            argvs = [[str(image), str(case / "mask.nii.gz"), str(case / "saved.nii.gz")]]
            entry = "bench.window_steps:load_labels"
            labels = str(case / "mask.nii.gz")
            cli = [["snapshot", str(image), "--labels", labels, "--out", str(case / "s.png")],
                   ["dataset", "add", str(ds), "--image", str(image), "--labels", labels,
                    "--annotator", "fuzz"]]
        else:
            folder = case / package.name
            shutil.copytree(package, folder)
            (folder / "model.json").write_text(json.dumps(dict(base_card, name=f"fuzz{k}")))
            run_limited([["models", "add", str(folder)]], seconds=60, env=env)
            folder = home / "models" / f"fuzz{k}@1.0.0"
            label = f"installed model.json {attack_file(folder / 'model.json', rng, outside)}"
            argvs = [["models", "list", "--json"], ["models", "compare", f"fuzz{k}", "base"],
                     ["models", "compare", f"fuzz{k}", "base", "--dataset", str(dataset), "--json",
                      str(case / "measured.json")]]
            if renamed(folder / "model.json", f"fuzz{k}"):
                argvs = argvs[:1]   # the card names another model now: the old name names nothing
        runs = [(argvs, entry)] + ([(cli, None)] if kind == "sidecar" else [])
        for commands, module in runs:
            skip = [home, case, work / "templates" / "ds"]
            before = snapshot(work, skip)
            results = run_limited(commands, seconds=60, env=dict(env, **({ENTRY: module} if module else {})))
            after = snapshot(work, skip)
            for argv, result in zip(commands, results):
                line = verdict(folder, result, argv)
                if kind == "journal" and not line.startswith("BAD"):
                    restored = result["stdout"].split()
                    line = kept(folder, files) or line
                    if not sealed and restored[:1] == ["restored"] and restored[2] not in states \
                            and restored[-1] != "told":   # steps lost to damage, and said so
                        line = f"BAD restored a label map the session never had ({restored[1]} steps)"
                if after != before:
                    changed = sorted(p for p in set(after) | set(before) if after.get(p) != before.get(p))
                    line = f"BAD wrote outside: {changed[:3]}"
                if hashlib.sha256(image.read_bytes()).hexdigest() != image_hash:
                    line = "BAD the image changed"
                tally[line.split()[0]] += 1
                if line.startswith("BAD"):
                    bad += 1
                    what = argv[1] if module is None else module.split(":")[1]
                    print(f"{k:04d} {kind:<8} {label[:58]:<58} {what:<10} {line}", flush=True)
        if kind == "card":
            shutil.rmtree(folder, ignore_errors=True)   # the next cases' list reads every card
    print(f"tally: {dict(sorted(tally.items()))} of {sum(tally.values())} commands on {args.cases} "
          f"hostile cases (seed {args.seed}): {dict(kinds)}")
    shutil.rmtree(work, ignore_errors=True)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
