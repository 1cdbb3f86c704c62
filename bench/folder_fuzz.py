"""Hostile folders that are not images, through the commands a user runs on them.

``bench/input_fuzz.py`` damages image files; this one hands neuroview the other files a colleague
could give you, each case one random attack on a valid template made in the run:

    package      a safetensors model package (``model.json`` + ``weights.safetensors``) -> models add
    nnunet       an nnU-Net v2 results folder (plans, dataset.json, fold_0 checkpoint) -> models add
    nninteractive  an nnInteractive weights folder (as nnunet + inference_session_class.json;
                 when the nnInteractive package is installed) -> models add
    dataset      a training set of two cases (dataset.json, neuroview.json, provenance) ->
                 dataset list, dataset add
    registry     NEUROVIEW_HOME's ``models.json`` and an installed card -> models list, models show

Attacks: a JSON value anywhere in a file replaced by another type, NaN, inf, 1e999, a negative
or 2^63, a path leaving the folder (``../``, absolute), 100,000 levels of nesting, or a key
removed; a safetensors header whose shapes or offsets were so mutated, or whose length field
says 2^63; pickled checkpoints whose ``__reduce__`` writes a marker file (plain pickle and torch
zip); a package turned into TorchScript (code: refused without ``--trust-code``); symlinks out of
the folder (another folder, a file, ``/dev/zero``), a symlink loop and a named pipe planted in the
folder or in place of one of its files. Each command runs under a
4 GiB address-space limit and a 60 s alarm (``tests/io/limited_cli.py``). Outcomes:

    ok     refused in one line naming a file of the folder (exit 1)
    read   exit 0 (the attack hit something the command does not need, or a value it accepts)
    BAD    a traceback, an internal error, a time-out, over 1 GiB resident, an error line that
           names no file of the folder, a marker written (pickled code ran), or a file written
           outside the case folder and NEUROVIEW_HOME, or another folder's file copied in

    nice -n 5 python bench/folder_fuzz.py [--cases 120] [--seed 0]

Run it on code that refuses a symlink to ``/dev/zero`` (session 21 on): before, ``models add``
copied it until the time limit, 51 GB in 60 s.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import pickle
import random
import shutil
import struct
import sys
import tempfile
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "ai")]
from tests.io.limited_cli import run_limited  # noqa: E402

MAX_PEAK = 1 << 30  # importing torch, nnU-Net and nnInteractive alone takes ~550 MiB
SECRET = "another-users-secret-7f3a"
NEST = "__NEST__"
HUGE_LITERAL = "__1E999__"
HOSTILE = [None, True, -1, 0, 2 ** 63, -(2 ** 63), 1e308, float("nan"), float("inf"), -float("inf"),
           HUGE_LITERAL, "", "x" * 5000, "../../outside/secret.txt", "/etc/passwd", [], {}, [[]],
           {"a": 1}, [-1, -1, -1], [2 ** 31] * 3, [0.0, 0.0, 0.0], [1e308] * 3, NEST, "NaN"]


class Planted:
    """Unpickling it writes ``marker``: pickled code that ran leaves the file behind."""

    def __init__(self, marker: str) -> None:
        self.marker = marker

    def __reduce__(self):
        return (Path.touch, (Path(self.marker),))


# -- JSON mutation --------------------------------------------------------------------------------
def _paths(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, prefix + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value[:8]):
            yield from _paths(item, prefix + (index,))


def mutate_json(data, rng: random.Random) -> tuple[str, str]:
    """``(what was done, the JSON text)``: one value replaced or one key removed."""
    paths = [p for p in _paths(data) if p]
    if not paths:
        return "whole", _dumps(rng.choice(HOSTILE))
    path = rng.choice(paths)
    parent = data
    for key in path[:-1]:
        parent = parent[key]
    key = path[-1]
    if isinstance(parent, dict) and rng.random() < 0.15:
        del parent[key]
        return f"del {'.'.join(map(str, path))}", _dumps(data)
    old = parent[key]
    if isinstance(old, (int, float)) and not isinstance(old, bool) and rng.random() < 0.3:
        new = rng.choice([-old, old * 1e12, old + 2 ** 31, -1e-300])
    else:
        new = rng.choice(HOSTILE)
    parent[key] = new
    return f"{'.'.join(map(str, path))}={str(new)[:24]}", _dumps(data)


def _dumps(data) -> str:
    text = json.dumps(data)
    text = text.replace(json.dumps(HUGE_LITERAL), "1e999")
    return text.replace(json.dumps(NEST), "[" * 100_000 + "]" * 100_000)


# -- templates ------------------------------------------------------------------------------------
def make_package(folder: Path) -> Path:
    import torch
    from conftest import make_card

    from neuroview.ai.networks import build_network
    from neuroview.ai.package import save_package

    card = make_card()
    torch.manual_seed(0)
    return save_package(folder, card, build_network(card.architecture, card.hyperparameters).state_dict())


def make_nnunet(folder: Path) -> Path:
    from test_ai_nnunet import make_results_folder

    return make_results_folder(folder, folds=(0,))


def make_nninteractive(folder: Path) -> Path | None:
    import importlib.util

    if importlib.util.find_spec("nnInteractive") is None:
        return None
    from nninteractive_weights import make_weights_folder

    return make_weights_folder(folder, seed=0, patch_size=(32, 32, 32))


def make_dataset(folder: Path, home: Path) -> Path:
    from neuroview.cli.main import main as neuroview
    from neuroview.io.nifti import save_nifti

    folder.mkdir(parents=True)
    rng = np.random.default_rng(0)
    mask = np.zeros((20, 22, 18), np.uint8)
    mask[5:10, 5:10, 5:9] = 1
    affine = np.diag([1.0, 1.0, 1.5, 1.0])
    for k in range(3):
        save_nifti(rng.normal(100, 20, mask.shape).astype(np.float32), affine, folder / f"img{k}.nii.gz")
    save_nifti(mask, affine, folder / "mask.nii.gz")
    os.environ["NEUROVIEW_HOME"] = str(home)
    assert neuroview(["dataset", "init", str(folder), "--name", "Fz", "--labels",
                      "background,lesion", "--channels", "T1"]) == 0
    dataset = next(folder.glob("Dataset*"))
    for k in range(2):
        assert neuroview(["dataset", "add", str(dataset), "--image", str(folder / f"img{k}.nii.gz"),
                          "--labels", str(folder / "mask.nii.gz"), "--annotator", "a"]) == 0
    return dataset


# -- attacks --------------------------------------------------------------------------------------
def attack_json(case: Path, rng: random.Random, names: list[str]) -> str:
    files = [case / n for n in names if (case / n).is_file()]
    target = rng.choice(files)
    what, text = mutate_json(json.loads(target.read_text()), rng)
    target.write_text(text)
    return f"{target.relative_to(case)} {what}"


def attack_safetensors(case: Path, rng: random.Random) -> str:
    path = case / "weights.safetensors"
    data = path.read_bytes()
    (length,) = struct.unpack("<Q", data[:8])
    header, body = json.loads(data[8:8 + length]), data[8 + length:]
    if rng.random() < 0.2:
        path.write_bytes(struct.pack("<Q", 2 ** 63) + data[8:])
        return "weights.safetensors header length 2^63"
    name = rng.choice([k for k in header if k != "__metadata__"])
    kind = rng.choice(["shape", "offsets", "any"])
    if kind == "shape":
        header[name]["shape"] = rng.choice([[2 ** 40, 2 ** 40], [-1, 4], [2 ** 62], [0], [1e9]])
        what = f"shape of {name} = {header[name]['shape']}"
    elif kind == "offsets":
        header[name]["data_offsets"] = rng.choice([[0, 2 ** 62], [-8, 8], [10, 2], [0, 1e999]])
        what = f"offsets of {name} = {header[name]['data_offsets']}"
    else:
        what, _ = mutate_json(header, rng)
    text = _dumps(header).encode()
    path.write_bytes(struct.pack("<Q", len(text)) + text + body)
    return f"weights.safetensors {what}"


def attack_torchscript(case: Path, rng: random.Random) -> str:
    """The package turned into TorchScript (code): refused without --trust-code."""
    import torch

    class Net(torch.nn.Module):
        def forward(self, x):
            return torch.cat([x[:, :1] * 0, x[:, :1]], dim=1)

    torch.jit.script(Net()).save(str(case / "model.pt"))
    card = json.loads((case / "model.json").read_text())
    card.update(format="torchscript", weights_file="model.pt")
    (case / "model.json").write_text(json.dumps(card))
    (case / "weights.safetensors").unlink()
    return "torchscript without --trust-code"


def attack_checkpoint(case: Path, rng: random.Random, marker: Path) -> str:
    import torch

    path = case / "fold_0" / "checkpoint_final.pth"
    if rng.random() < 0.5:
        path.write_bytes(pickle.dumps({"network_weights": Planted(str(marker))}))
        return "checkpoint: plain pickle with a code payload"
    state = torch.load(path, weights_only=False)
    state["extra"] = Planted(str(marker))
    torch.save(state, path)
    return "checkpoint: torch zip with a code payload"


def attack_plant(case: Path, rng: random.Random, outside: Path) -> str:
    files = sorted(p for p in case.rglob("*") if p.is_file() and not p.is_symlink())
    kind = rng.choice(["link_dir", "link_file", "dev_zero", "loop", "pipe", "replace_link",
                       "replace_pipe"])
    spot = rng.choice([p.parent for p in files])
    if kind == "link_dir":
        (spot / "extra").symlink_to(outside)
    elif kind == "link_file":
        (spot / "notes.txt").symlink_to(outside / "secret.txt")
    elif kind == "dev_zero":
        (spot / "zeros.bin").symlink_to("/dev/zero")
    elif kind == "loop":
        (spot / "loop").symlink_to(case)
    elif kind == "pipe":
        os.mkfifo(spot / "pipe")
    else:
        victim = rng.choice(files)
        victim.unlink()
        if kind == "replace_pipe":
            os.mkfifo(victim)
        else:
            victim.symlink_to(rng.choice([outside / "secret.txt", Path("/dev/zero")]))
        return f"{kind} {victim.relative_to(case)}"
    return f"{kind} in {spot.relative_to(case) if spot != case else '.'}"


# -- the run --------------------------------------------------------------------------------------
def snapshot(root: Path, skip: list[Path]) -> dict:
    found = {}
    for top, folders, names in os.walk(root):
        folders[:] = [f for f in folders if Path(top, f) not in skip]
        for name in names:
            path = Path(top, name)
            try:
                found[str(path)] = path.lstat().st_mtime_ns
            except OSError:
                pass
    return found


def verdict(case: Path, result: dict, marker: Path) -> str:
    lines = result["stderr"].strip().splitlines()
    ours = [line for line in lines if line.startswith("neuroview:")]
    if marker.exists():
        return "BAD pickled code ran"
    if result["rc"] in ("timeout", "traceback"):
        return f"BAD {result['rc']}: {(lines or ['?'])[-1][:160]}"
    if result["peak_rss"] > MAX_PEAK:
        return f"BAD resident peak +{result['peak_rss'] >> 20} MiB"
    if result["rc"] == 0:
        return "read"
    if len(ours) != 1 or lines[-1] != ours[0]:
        return f"BAD {len(lines)} lines: {' / '.join(lines)[:200]}"
    if "internal error" in ours[0] or str(case) not in ours[0]:
        return f"BAD line: {ours[0][:200]}"
    return "ok"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=120)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    work = Path(tempfile.mkdtemp(prefix="folder-fuzz-"))
    home, outside = work / "home", work / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text(SECRET)
    with contextlib.redirect_stdout(io.StringIO()):  # what dataset init/add print
        templates = {"package": make_package(work / "templates" / "package"),
                     "nnunet": make_nnunet(work / "templates" / "nnunet"),
                     "dataset": make_dataset(work / "templates" / "ds", work / "templates" / "home"),
                     "nninteractive": make_nninteractive(work / "templates" / "nni")}
    image = work / "templates" / "ds" / "img2.nii.gz"
    mask = work / "templates" / "ds" / "mask.nii.gz"
    cases, commands = [], []
    for k in range(args.cases):
        kind = rng.choice(["package", "package", "nnunet", "dataset", "registry"]
                          + (["nninteractive"] if templates["nninteractive"] else []))
        case = work / "cases" / f"{k:04d}"
        marker = work / "markers" / f"{k:04d}"
        source = templates["package" if kind == "registry" else kind]
        folder = case / source.name
        shutil.copytree(source, folder, symlinks=True)
        if kind in ("package", "registry"):
            card = json.loads((folder / "model.json").read_text())
            card["name"] = f"fuzz{k}"
            (folder / "model.json").write_text(json.dumps(card))
        attack = rng.random()
        if kind == "registry":
            # installed below by a good add; the attack is then made on the copy in home
            label = "models.json" if attack < 0.4 else "installed card"
        elif kind == "package":
            label = (attack_json(folder, rng, ["model.json"]) if attack < 0.5 else
                     attack_safetensors(folder, rng) if attack < 0.75 else
                     attack_torchscript(folder, rng) if attack < 0.8 else
                     attack_plant(folder, rng, outside))
        elif kind == "nninteractive":
            label = (attack_json(folder, rng, ["plans.json", "dataset.json",
                                               "inference_session_class.json"]) if attack < 0.6 else
                     attack_checkpoint(folder, rng, marker) if attack < 0.8 else
                     attack_plant(folder, rng, outside))
        elif kind == "nnunet":
            label = (attack_json(folder, rng, ["plans.json", "dataset.json"]) if attack < 0.6 else
                     attack_checkpoint(folder, rng, marker) if attack < 0.8 else
                     attack_plant(folder, rng, outside))
        else:
            label = (attack_json(folder, rng, ["dataset.json", "neuroview.json",
                                               "provenance/nv_0001.json"]) if attack < 0.8 else
                     attack_plant(folder, rng, outside))
        cases.append((kind, label, folder, marker))
    # registry cases: a good add, then the attack on what it installed
    for kind, _label, folder, _marker in cases:
        if kind == "registry":
            commands.append(["models", "add", str(folder)])
    if commands:
        run_limited(commands, seconds=60, env={"NEUROVIEW_HOME": str(home)})
    final = []
    for index, (kind, label, folder, marker) in enumerate(cases):
        if kind == "registry":
            installed = home / "models" / f"fuzz{index}@1.0.0"
            if label == "models.json":  # written just before its commands run, removed after
                data = {"defaults": {"lesion": f"fuzz{index}@1.0.0"},
                        "history": {"lesion": ["lesionseg@2.3.0"]}}
                what, text = mutate_json(data, rng)
                final.append((kind, f"models.json {what}", home, text,
                              [["models", "list"], ["models", "default"]]))
                continue
            what = attack_json(installed, rng, ["model.json"])
            argvs = [["models", "list"], ["models", "show", f"fuzz{index}@1.0.0"]]
            words = what.split()
            if words[1].split("=")[0] in ("name", "version") \
                    or words[1] == "del" and words[2] in ("name", "version"):
                argvs = argvs[:1]   # the card renamed its model: the old ref names nothing now
            final.append((kind, f"installed {what}", installed, marker, argvs))
        elif kind in ("package", "nnunet", "nninteractive"):
            final.append((kind, label, folder, marker, [["models", "add", str(folder)]]))
        else:
            final.append((kind, label, folder, marker, [
                ["dataset", "list", str(folder)],
                ["dataset", "add", str(folder), "--image", str(image), "--labels", str(mask),
                 "--annotator", "fuzz", "--links", str(folder.parent / "links.json")]]))
    tally, bad = Counter(), 0
    for kind, label, folder, marker, argvs in final:
        state = home / "models.json"
        if isinstance(marker, str):  # models.json attacks change the one registry all cases share
            state.write_text(marker)
            marker = work / "markers" / "none"
        before = snapshot(work, [home, folder.parent, work / "markers"])
        results = run_limited(argvs, seconds=60, env={"NEUROVIEW_HOME": str(home)})
        after = snapshot(work, [home, folder.parent, work / "markers"])
        copied = [p for p in home.rglob("*") if p.is_file() and not p.is_symlink()
                  and p.stat().st_size < 1 << 20 and SECRET in p.read_text(errors="ignore")]
        for argv, result in zip(argvs, results):
            line = verdict(folder, result, marker)
            if after != before:
                line = f"BAD wrote outside: {sorted(set(after) ^ set(before))[:3]}"
            if copied:
                line = f"BAD another folder's file copied in: {copied[:2]}"
            tally[line.split()[0]] += 1
            if line.startswith("BAD"):
                bad += 1
                print(f"{kind:<9} {label[:60]:<60} {argv[1]:<5} {line}", flush=True)
        state.unlink(missing_ok=True)
    print(f"tally: {dict(sorted(tally.items()))} of {sum(tally.values())} commands on "
          f"{len(final)} hostile folders (seed {args.seed}): "
          f"{dict(Counter(kind for kind, *_ in final))}")
    shutil.rmtree(work, ignore_errors=True)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
