"""neuroview installed from its wheel works like the checkout: the wheel carries the bundled
models, anatomy and demo case (``setup.py`` ships the top-level ``resources/`` as
``neuroview/resources``), and the installed command finds them (``paths.resources_dir``).

Built offline with setuptools from a copy of the sources, installed with pip (``--no-deps``) into
a fresh venv that sees this environment's packages through a ``.pth`` line, run from outside the
checkout. Until session 52 the wheel held no resources: ``neuroview demo --info`` failed with
*bundled demo case is missing* and ``neuroview models list`` said *no models installed*.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from tests.checkout import REPO

SOURCES = ("pyproject.toml", "setup.py", "README.md", "LICENSE", "neuroview", "resources")


def _ignored(folder, names):
    return [n for n in names if n == "__pycache__" or n.endswith((".checkpoint", ".egg-info"))]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("wheel")
    source = root / "source"
    source.mkdir()
    for name in SOURCES:
        if not (REPO / name).exists():
            continue
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, source / name, ignore=_ignored)
        else:
            shutil.copy2(REPO / name, source / name)
    # a training checkpoint left in a checkout's models folder stays out of the wheel
    (source / "resources" / "models" / "kept").mkdir()
    (source / "resources" / "models" / "kept" / "checkpoint.pt").write_bytes(b"not shipped")
    dist = root / "dist"
    built = subprocess.run(
        [sys.executable, "-c", "import sys\nfrom setuptools import build_meta\n"
         "print(build_meta.build_wheel(sys.argv[1]))", str(dist)],
        cwd=source, capture_output=True, text=True, timeout=300)
    assert built.returncode == 0, built.stderr[-3000:]
    return dist / built.stdout.split()[-1]


def _product_files() -> set[str]:
    """What the product reads from its resources, as paths inside ``resources/``."""
    from neuroview.ai.mni_regions import REGIONS_NAME, T1_NAME
    from neuroview.ai.package import read_card
    from neuroview.cli.demo import lesion_case, lesion_truth
    from neuroview.paths import demo_image, resources_dir

    base = resources_dir()
    read = {demo_image(), lesion_case(), lesion_truth(), lesion_truth().with_suffix("").with_suffix(
        ".segments.json"), base / "anatomy" / T1_NAME, base / "anatomy" / REGIONS_NAME}
    for model in (base / "models").iterdir():
        if model.is_dir() and (model / "model.json").is_file():
            read |= {model / "model.json", model / read_card(model).weights_file}
    return {p.relative_to(base).as_posix() for p in read}


def test_wheel_holds_the_sources_and_every_resource_the_product_reads(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {n[len("neuroview/resources/"):] for n in names if n.startswith("neuroview/resources/")}
    read = _product_files()
    assert read <= shipped, sorted(read - shipped)
    # the notices (the template's licence) too, and nothing else: no checkpoint
    assert {"demo/README.md", "anatomy/README.md"} <= shipped
    assert not [n for n in shipped if "checkpoint" in n or n.endswith(".pt")]
    assert {"models/lesionseg/weights.safetensors", "models/clickseg/weights.safetensors"} <= shipped
    sources = {p.relative_to(REPO).as_posix() for p in (REPO / "neuroview").rglob("*.py")
               if "__pycache__" not in p.parts}
    assert sources <= names, sorted(sources - names)[:5]
    # the command the desktop entry (packaging/neuroview.desktop) runs is the wheel's script
    scripts = zipfile.ZipFile(wheel).read(next(n for n in names if n.endswith(".dist-info/entry_points.txt")))
    scripts = scripts.decode()
    desktop = (REPO / "packaging" / "neuroview.desktop").read_text()
    assert "Exec=neuroview %F" in desktop and "neuroview = neuroview.__main__:command" in scripts
    for name in shipped:   # byte for byte the checkout's
        data = zipfile.ZipFile(wheel).read(f"neuroview/resources/{name}")
        assert data == (REPO / "resources" / name).read_bytes(), name


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> Path:
    """A fresh venv with the wheel pip-installed (no deps, no index) and this environment's
    packages seen through a ``.pth`` line after its own (an editable neuroview there is not: a
    ``.pth`` line adds a folder, its own ``.pth`` files are not run)."""
    venv = tmp_path_factory.mktemp("venv") / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    own = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                         capture_output=True, text=True, check=True).stdout.strip()
    (Path(own) / "shared-packages.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    done = subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--no-index",
         "--no-compile", "--disable-pip-version-check", "-q", str(wheel)],
        capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return venv


def _run(*args, home: Path, **more) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "NEUROVIEW_RESOURCES")}
    env.update(NEUROVIEW_HOME=str(home), **{k: str(v) for k, v in more.items()})
    return subprocess.run([str(a) for a in args], cwd=home, env=env, capture_output=True, text=True,
                          timeout=300)


CHECK = """
import hashlib, json
import neuroview
from neuroview.ai.interactive.model import bundled_path
from neuroview.ai.mni_regions import REGIONS_NAME, T1_NAME
from neuroview.ai.package import load_model
from neuroview.ai.registry import Registry
from neuroview.cli.main import main
from neuroview.paths import resources_dir

assert main(["models", "list"]) == 0

loaded = {}
for model in sorted((resources_dir() / "models").iterdir()):
    net = load_model(model)
    card = json.loads((model / "model.json").read_text())
    weights = (model / card["weights_file"]).read_bytes()
    loaded[model.name] = [net.card.name, hashlib.sha256(weights).hexdigest(),
                          card["training"]["weights_sha256"]]
anatomy = [(resources_dir() / "anatomy" / n).is_file() for n in (T1_NAME, REGIONS_NAME)]
print(json.dumps({"package": neuroview.__file__, "resources": str(resources_dir()),
                  "click": str(bundled_path()), "models": loaded,
                  "bundled": sorted(str(p) for p in Registry().bundled_dir.iterdir()),
                  "anatomy": anatomy}))
"""


def test_installed_wheel_runs_from_its_own_resources(installed, tmp_path):
    site = installed / "lib"
    # the menu entry packaging/ installs for it starts the wheel's command (its Exec, without %F)
    entry = _run("bash", REPO / "packaging" / "install-desktop-entry.sh",
                 installed / "bin" / "neuroview", home=tmp_path, XDG_DATA_HOME=tmp_path / "share")
    assert entry.returncode == 0, entry.stdout + entry.stderr
    desktop = (tmp_path / "share" / "applications" / "neuroview.desktop").read_text()
    exec_line = next(line for line in desktop.splitlines() if line.startswith("Exec="))
    assert exec_line == f"Exec={installed / 'bin' / 'neuroview'} %F"
    demo = _run(exec_line[len("Exec="):].split()[0], "demo", "--info", home=tmp_path)
    assert demo.returncode == 0, demo.stderr
    assert "mni152_t1_lesions.nii.gz" in demo.stdout and "197x233x189" in demo.stdout
    checked = _run(installed / "bin" / "python", "-c", CHECK, home=tmp_path)
    assert checked.returncode == 0, checked.stderr[-3000:]
    *listed, last = checked.stdout.splitlines()
    listed = "\n".join(listed)   # neuroview models list
    assert "lesionseg@" in listed and "clickseg@" in listed and "bundled" in listed, listed
    seen = json.loads(last)
    assert Path(seen["package"]).is_relative_to(site)   # the wheel's code, not the checkout's
    resources = Path(seen["resources"])
    assert resources.is_relative_to(site) and resources.parts[-2:] == ("neuroview", "resources")
    assert Path(seen["click"]).is_relative_to(resources)
    assert {Path(p).name for p in seen["bundled"]} == {"clickseg", "lesionseg"}
    for name, (card_name, digest, card_digest) in seen["models"].items():
        assert digest == card_digest, name   # the weights the card was made with
        expected = hashlib.sha256((REPO / "resources" / "models" / name / "weights.safetensors")
                                  .read_bytes()).hexdigest()
        assert digest == expected and card_name
    assert seen["anatomy"] == [True, True]   # lesion locations' template
