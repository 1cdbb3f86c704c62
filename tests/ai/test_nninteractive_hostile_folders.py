"""nnInteractive weights folders that ask ``models add`` for more memory than the checkpoint
needs: plans widened to a giant network, a LICENSE linked to /dev/zero. Each command's resident
peak is measured in a process under a 4 GiB address-space limit (tests/io/limited_cli.py)."""

from __future__ import annotations

import importlib.util

import pytest

pytest.importorskip("torch")
pytest.importorskip("nnunetv2")
if importlib.util.find_spec("nnInteractive") is None:
    pytest.skip("nnInteractive is not installed", allow_module_level=True)

from nninteractive_weights import make_weights_folder  # noqa: E402

PATCH = (64, 64, 64)  # as tests/ai/test_ai_nninteractive.py's folders


@pytest.fixture(scope="module")
def hostile_adds(tmp_path_factory):
    """``models add`` of a folder whose plans ask for a giant network, then of one whose LICENSE
    links to /dev/zero, in one process under limited_cli's 4 GiB limit, each command's resident
    peak measured from its own start: {"giant"/"license": (folder, home, result)}. One process
    for both: each paid 3 s of CPU importing torch and nnInteractive before its command."""
    import json
    import shutil

    from tests.io.limited_cli import run_limited

    root = tmp_path_factory.mktemp("hostile_adds")
    license_ = make_weights_folder(root / "license", patch_size=PATCH)
    giant = root / "giant" / license_.name   # the same weights (one network built, not two)
    shutil.copytree(license_, giant)
    plans = json.loads((giant / "plans.json").read_text())
    arch = next(iter(plans["configurations"].values()))["architecture"]
    arch["arch_kwargs"]["features_per_stage"] = [4, 3000, 3000]
    (giant / "plans.json").write_text(json.dumps(plans))
    (license_ / "LICENSE").unlink(missing_ok=True)
    (license_ / "LICENSE").symlink_to("/dev/zero")
    home = root / "home"
    results = run_limited([["models", "add", str(giant)], ["models", "add", str(license_)]],
                          seconds=120, env={"NEUROVIEW_HOME": str(home)})
    return {"giant": (giant, home, results[0]), "license": (license_, home, results[1])}


def test_plans_asking_for_a_giant_network_are_refused_before_it_is_built(hostile_adds):
    """plans.json widened to 3000 features (the checkpoint holds 8 and 16) made ``models add`` build
    that network, over a GB resident, before finding the checkpoint did not fit; now compared
    on torch's meta device first (as nnU-Net folders)."""
    folder, _home, result = hostile_adds["giant"]
    assert result["rc"] == 1
    assert result["peak_rss"] < 700 << 20, result["peak_rss"] >> 20   # imports: ~400 MB
    assert result["stderr"].strip().startswith(
        f"neuroview: error: {folder / 'fold_0' / 'checkpoint_final.pth'}: checkpoint weights do "
        "not fit the plans' network (")


def test_a_license_that_links_to_dev_zero_is_not_read_whole(hostile_adds):
    """The LICENSE's first line goes on the card: a LICENSE linked to /dev/zero was read whole,
    3 GB resident before the 4 GiB address-space limit stopped it (found by
    bench/folder_fuzz.py). Now read only from a regular file inside the folder, 64 kB at most;
    the folder is added without it (the giant network's folder, added before it, was refused)."""
    _folder, home, result = hostile_adds["license"]
    assert result["rc"] == 0, result["stderr"]
    assert result["peak_rss"] < 1 << 30, result["peak_rss"] >> 20   # imports: ~550 MB
    (added,) = (home / "models").iterdir()
    assert not (added / "LICENSE").exists()
