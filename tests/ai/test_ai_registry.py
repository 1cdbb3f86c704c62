"""The model registry: bundled model always listed, add/remove, defaults, guarded promotion, rollback."""

from __future__ import annotations

import json

import pytest

from neuroview.core.errors import ModelError

torch = pytest.importorskip("torch")

from neuroview.ai.networks import build_network  # noqa: E402
from neuroview.ai.package import save_package  # noqa: E402
from neuroview.ai.registry import Registry  # noqa: E402


@pytest.fixture
def cli():
    """The command line's main in a forked copy of this process (tests.checkout.run_main_forked):
    these tests' claims are what the registry commands say and do, not a process's start (a
    fresh ``python -m neuroview`` each: 16 of them, 0.3 s of CPU apiece). The children run no
    network, so the parent's OpenMP threads cannot hang them."""
    from tests.checkout import run_main_forked

    return run_main_forked


def _package(folder, card_factory, version, dice, split="s1", parent=None):
    card = card_factory(version=version, parent=parent,
                        metrics={"held_out_dice": {"lesion": dice}, "held_out_split": split})
    network = build_network(card.architecture, card.hyperparameters)
    return save_package(folder / f"tiny-{version}", card, network.state_dict())


def test_bundled_model_is_always_listed_and_default():
    registry = Registry()
    refs = [e.ref for e in registry.entries() if e.bundled]
    assert any(ref.startswith("lesionseg@") for ref in refs)
    assert registry.default_ref().startswith("lesionseg@")
    with pytest.raises(ModelError, match="bundled with neuroview and cannot be removed"):
        registry.remove(registry.default_ref())


def test_add_remove_and_guarded_promotion(tmp_path, card_factory):
    registry = Registry()
    good = registry.add(_package(tmp_path, card_factory, "1.0.0", 0.80))
    worse = registry.add(_package(tmp_path, card_factory, "1.1.0", 0.70, parent="tiny@1.0.0"))
    other_split = registry.add(_package(tmp_path, card_factory, "1.2.0", 0.95, split="s2"))
    assert {"tiny@1.0.0", "tiny@1.1.0", "tiny@1.2.0"} <= {e.ref for e in registry.entries()}
    assert registry.get("tiny").ref == "tiny@1.2.0"  # a bare name is its newest version
    with pytest.raises(ModelError, match="already installed"):
        registry.add(good.path)

    bundled = registry.default_ref()
    registry.promote(good.ref, force=True)  # the bundled card was measured on another split
    assert registry.default_ref() == good.ref
    with pytest.raises(ModelError, match=r"lower held-out Dice \(0.7000\) than the current default"):
        registry.promote(worse.ref)
    assert registry.default_ref() == good.ref
    with pytest.raises(ModelError, match="not measured on the same split"):
        registry.promote(other_split.ref)
    registry.promote(other_split.ref, scores=(0.9, 0.8))  # measured together on one split
    assert registry.default_ref() == other_split.ref
    assert registry.rollback() == good.ref
    assert registry.rollback() == bundled
    registry.promote(worse.ref, force=True)
    assert registry.default_ref() == worse.ref
    registry.remove(worse.ref)
    assert registry.default_ref() == bundled  # removing the default falls back to the bundled one
    with pytest.raises(ModelError, match="no model 'tiny@1.1.0'"):
        registry.get("tiny@1.1.0")


def test_a_bare_name_is_the_default_when_the_default_bears_it(tmp_path, card_factory):
    """A model fine-tuned under the default's name (AI > Train model... proposes lesionseg@2.6.0
    from lesionseg@2.5.1) is not the default until promoted: `--model lesionseg` (segment, rank,
    dataset add's provenance, models compare) ran and recorded the unpromoted one, the newest."""
    registry = Registry()
    bundled = registry.default_ref()
    name = bundled.split("@")[0]
    newer = registry.add(_package(tmp_path, lambda **kw: card_factory(name=name, **kw), "99.0.0", 0.5))
    assert registry.get(name).ref == bundled          # not the newer, unpromoted one
    assert registry.resolve_path(name) == registry.get(bundled).path
    registry.promote(newer.ref, force=True)
    assert registry.get(name).ref == newer.ref        # promoted: it is the default now
    registry.add(_package(tmp_path, card_factory, "1.0.0", 0.8))
    registry.add(_package(tmp_path, card_factory, "1.1.0", 0.7))
    assert registry.get("tiny").ref == "tiny@1.1.0"   # no default of that name: the newest


def test_held_out_cases_without_lesions_promote_nothing(tmp_path, card_factory):
    """Lesion-free held-out cases (cases without lesions sent to the training set) score Dice and
    F1 1.0 for a model that finds nothing: such a card was promoted over one that finds lesions."""
    registry = Registry()

    def package(version, dice, f1, lesions):
        card = card_factory(version=version, metrics={
            "held_out_dice": {"lesion": dice}, "held_out_split": "s1", "held_out_cases": 3,
            "held_out_lesionwise": {"cases": 3, "dice": dice, "f1": f1, "lesions": lesions}})
        network = build_network(card.architecture, card.hyperparameters)
        return registry.add(save_package(tmp_path / f"tiny-{version}", card, network.state_dict()))

    finds = package("1.0.0", 0.6, 0.7, 4)
    registry.promote(finds.ref, force=True)
    package("1.1.0", 0.8, 0.9, 4)
    registry.promote("tiny@1.1.0")                        # lesions held out: promoted as before
    nothing = package("2.0.0", 1.0, 1.0, 0)
    with pytest.raises(ModelError, match="hold no lesion"):
        registry.promote(nothing.ref)
    assert registry.default_ref() == "tiny@1.1.0"
    registry.promote(nothing.ref, force=True)
    assert registry.default_ref() == nothing.ref


def test_promotion_prefers_lesion_wise_f1(tmp_path, card_factory):
    """Same split: a higher Dice does not promote a model that finds fewer lesions with more false
    alarms (lower lesion-wise F1); at equal F1, Dice decides."""
    registry = Registry()

    def package(version, dice, f1):
        card = card_factory(version=version, metrics={
            "held_out_dice": {"lesion": dice}, "held_out_split": "s1",
            "held_out_lesionwise": {"dice": dice, "f1": f1, "sensitivity": f1, "per_case": {}}})
        network = build_network(card.architecture, card.hyperparameters)
        return registry.add(save_package(tmp_path / f"f1-{version}", card, network.state_dict()))

    current = package("1.0.0", 0.60, 0.80)
    registry.promote(current.ref, force=True)
    with pytest.raises(ModelError, match=r"lower held-out lesion-wise F1 \(0.7000\)"):
        registry.promote(package("1.1.0", 0.70, 0.70).ref)
    registry.promote(package("1.2.0", 0.55, 0.90).ref)  # lower Dice, but finds more lesions
    assert registry.default_ref() == "tiny@1.2.0"
    with pytest.raises(ModelError, match="lower held-out Dice"):
        registry.promote(package("1.3.0", 0.50, 0.90).ref)
    with pytest.raises(ModelError, match="lower held-out lesion-wise F1"):
        registry.promote(current.ref, scores=(0.9, 0.5), lesion_f1=(0.8, 0.9))  # measured on a dataset


def test_a_broken_package_is_not_added(tmp_path, card_factory):
    folder = _package(tmp_path, card_factory, "2.0.0", 0.5)
    (folder / "weights.safetensors").write_bytes(b"garbage")
    with pytest.raises(ModelError, match="corrupt"):
        Registry().add(folder)
    assert "tiny@2.0.0" not in {e.ref for e in Registry().entries()}


def test_models_cli(cli, tmp_path, card_factory):
    folder = _package(tmp_path, card_factory, "3.0.0", 0.1)
    home = {"NEUROVIEW_HOME": str(tmp_path / "home")}
    assert cli("models", "add", folder, env=home).returncode == 0
    listing = cli("models", "list", env=home)
    assert listing.returncode == 0
    assert "tiny@3.0.0" in listing.stdout and "* lesionseg@" in listing.stdout
    refused = cli("models", "promote", "tiny@3.0.0", env=home)
    assert refused.returncode == 1 and "neuroview: error:" in refused.stderr
    forced = cli("models", "promote", "tiny@3.0.0", "--force", env=home)
    assert forced.returncode == 0 and cli("models", "default", env=home).stdout.strip() == "tiny@3.0.0"
    assert "lesionseg@" in cli("models", "rollback", env=home).stdout
    assert cli("models", "remove", "tiny@3.0.0", env=home).returncode == 0
    assert "tiny@3.0.0" not in cli("models", "list", env=home).stdout


def test_the_cli_says_what_promote_and_remove_make_the_default(cli, tmp_path, card_factory):
    """Promoting the default again said "(was X)" of X itself; removing the default fell back to
    the bundled model in silence. Now remove refuses the default without --force (the Models
    dialog asks first) and, as the dialog, names the new default. (The package is added and the
    defaults read in this process, on the registry the commands read.)"""
    bundled = Registry().default_ref()
    assert bundled.startswith("lesionseg@")
    Registry().add(_package(tmp_path, card_factory, "4.0.0", 0.1))
    first = cli("models", "promote", "tiny@4.0.0", "--force")
    assert first.stdout.strip() == f"default for lesion: tiny@4.0.0 (was {bundled})"
    again = cli("models", "promote", "tiny@4.0.0", "--force")
    assert again.returncode == 0 and again.stdout.strip() == "default for lesion: tiny@4.0.0 (it was already)"

    refused = cli("models", "remove", "tiny@4.0.0")
    assert refused.returncode == 1
    assert refused.stderr.strip().splitlines() == [
        f"neuroview: error: tiny@4.0.0 is the default for lesion: removing it makes the bundled model "
        f"{bundled} the default; not removed (promote another model first, or use --force)"]
    assert Registry().default_ref() == "tiny@4.0.0"
    removed = cli("models", "remove", "tiny@4.0.0", "--force")
    assert removed.returncode == 0, removed.stderr
    assert removed.stdout.strip() == f"removed tiny@4.0.0; the default for lesion is now {bundled}"
    assert "tiny@4.0.0" not in {e.ref for e in Registry().entries()}
    assert Registry().default_ref() == bundled


def test_better_on_a_single_held_out_case_needs_force(cli, tmp_path, card_factory):
    """Held-out Dice on one case (a small dataset's split) says little: the CLI refuses to promote
    on it in one line saying why, and --force promotes; on two cases it promotes as before. (The
    packages are added and the first default set in this process, the registry the CLI reads;
    ``test_models_cli`` runs those commands.)"""
    registry = Registry()   # the test's NEUROVIEW_HOME, which the CLI's processes inherit

    def package(version, dice, cases):
        card = card_factory(version=version, metrics={"held_out_dice": {"lesion": dice},
                                                      "held_out_split": "s1", "held_out_cases": cases})
        network = build_network(card.architecture, card.hyperparameters)
        registry.add(save_package(tmp_path / f"tiny-{version}", card, network.state_dict()))

    package("1.0.0", 0.70, 1)
    package("1.1.0", 0.90, 1)
    registry.promote("tiny@1.0.0", force=True)
    refused = cli("models", "promote", "tiny@1.1.0")
    assert refused.returncode == 1
    (line, *_hint) = refused.stderr.strip().splitlines()
    assert line.startswith("neuroview: error: tiny@1.1.0's held-out Dice (0.9000, the current default "
                           "tiny@1.0.0 0.7000) was measured on 1 held-out case: too little evidence")
    assert Registry().default_ref() == "tiny@1.0.0"
    assert cli("models", "promote", "tiny@1.1.0", "--force").returncode == 0
    assert Registry().default_ref() == "tiny@1.1.0"
    package("1.2.0", 0.95, 2)
    package("1.3.0", 0.96, 2)
    registry.promote("tiny@1.2.0", force=True)
    promoted = cli("models", "promote", "tiny@1.3.0")
    assert promoted.returncode == 0, promoted.stderr
    assert Registry().default_ref() == "tiny@1.3.0"


def test_an_ai_click_model_is_never_the_default_for_whole_images(cli, tmp_path):
    """The bundled clickseg segments one object from clicks: promoting it (even with --force, or
    'Promote anyway?' in the Models dialog) made it the default of `neuroview segment` and AI >
    Segment's 'lesion' task."""
    registry = Registry()
    clickseg = next(e.ref for e in registry.entries() if e.card.training.get("task") == "interactive")
    lesions = registry.default_ref()
    for attempt in (lambda: registry.promote(clickseg, force=True), lambda: registry.set_default(clickseg)):
        with pytest.raises(ModelError, match="promptable \\(AI click\\) model"):
            attempt()
    assert registry.default_ref() == lesions
    with pytest.raises(ModelError, match="segments whole images"):
        registry.promote(lesions, "interactive", force=True)
    home = {"NEUROVIEW_HOME": str(tmp_path / "home")}
    refused = cli("models", "promote", clickseg, "--force", env=home)
    assert refused.returncode == 1 and "cannot be the default for lesion" in refused.stderr
    assert cli("models", "default", env=home).stdout.strip() == lesions


def test_an_ai_click_default_stored_before_the_refusal_is_passed_over():
    """A models.json written when promote still accepted clickseg for lesions: the default is
    the bundled lesion model again, as after removing a default (neuroview segment used the AI
    click network)."""
    registry = Registry()
    clickseg = next(e.ref for e in registry.entries() if e.card.training.get("task") == "interactive")
    lesions = registry.default_ref()
    registry.state_file.parent.mkdir(parents=True, exist_ok=True)
    registry.state_file.write_text(json.dumps({"defaults": {"lesion": clickseg}, "history": {}}))
    assert registry.default_ref() == lesions


def _trained_clickseg(tmp_path, version):
    """The bundled clickseg's package under another version: an AI click model a user trained."""
    import shutil

    from neuroview.paths import resources_dir

    folder = tmp_path / f"clickseg-{version}"
    shutil.copytree(resources_dir() / "models" / "clickseg", folder)
    card = json.loads((folder / "model.json").read_text())
    card["version"] = version
    (folder / "model.json").write_text(json.dumps(card))
    return folder


def test_the_ai_click_default_is_the_bundled_promptable_model(cli, tmp_path):
    """With no AI click model promoted, the default for the interactive task is the bundled
    clickseg. It was the lesion model lesionseg, which takes no clicks: `models default --task
    interactive` printed it, promoting a trained AI click model compared it with lesionseg, and
    removing that model said lesionseg became the AI click default."""
    registry = Registry()
    clickseg = next(e.ref for e in registry.entries() if e.bundled and e.card.name == "clickseg")
    assert registry.default_ref("interactive") == clickseg
    assert registry.resolve_path("", "interactive") == registry.get(clickseg).path
    assert registry.default_ref().startswith("lesionseg@")   # the lesion default is unchanged
    assert cli("models", "default", "--task", "interactive").stdout.strip() == clickseg

    trained = registry.add(_trained_clickseg(tmp_path, "9.0.0"))
    with pytest.raises(ModelError, match=f"better than {clickseg}:"):
        registry.promote(trained.ref, "interactive")
    registry.promote(trained.ref, "interactive", force=True)
    assert registry.history("interactive") == [clickseg]
    refused = cli("models", "remove", trained.ref)
    assert refused.returncode == 1 and f"makes the bundled model {clickseg} the default" in refused.stderr
    removed = cli("models", "remove", trained.ref, "--force")
    assert f"the default for interactive is now {clickseg}" in removed.stdout, removed.stderr
    assert Registry().default_ref("interactive") == clickseg


KILLED_IN_REMOVE = """
import os, shutil, signal
from neuroview.ai.registry import Registry

def killed_half_way(path, *args, **kwargs):   # SIGKILL after the first file is deleted
    os.unlink(os.path.join(path, sorted(os.listdir(path))[-1]))
    os.kill(os.getpid(), signal.SIGKILL)

shutil.rmtree = killed_half_way
Registry().remove("tiny@1.0.0")
"""


def test_a_remove_killed_half_way_leaves_no_half_package(tmp_path, card_factory):
    """``models remove`` killed while it deleted the package's files: the registry listed the
    half (a card without its weights) and ``models add`` of the package refused it as 'already
    installed' until the folder was deleted by hand."""
    import os
    import subprocess
    import sys

    from tests.checkout import REPO

    package = _package(tmp_path, card_factory, "1.0.0", 0.80)
    Registry().add(package)
    child = subprocess.run([sys.executable, "-c", KILLED_IN_REMOVE], capture_output=True, text=True,
                           env={**os.environ, "PYTHONPATH": str(REPO)})
    assert child.returncode == -9, child.stderr
    registry = Registry()
    assert "tiny@1.0.0" not in {e.ref for e in registry.entries()}
    assert registry.add(package).ref == "tiny@1.0.0"   # no manual clean-up
    from neuroview.ai.package import load_model

    assert load_model(registry.get("tiny@1.0.0").path).card.ref == "tiny@1.0.0"
    assert [p.name for p in registry.models_dir.iterdir()] == ["tiny@1.0.0"]
