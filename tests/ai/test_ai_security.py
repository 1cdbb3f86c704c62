"""Hostile model packages: names that leave the registry, TorchScript that runs code, cards naming
files outside their folder. Nothing is written outside its root and nothing runs without consent."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import numpy as np
import pytest

from neuroview.core.errors import CodeConsentError, ModelError

torch = pytest.importorskip("torch")

from neuroview.ai.registry import Registry  # noqa: E402
from tests.checkout import run_main_forked  # noqa: E402


def _tree(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*")}


def _rename(package: Path, name: str, version: str = "1.0.0") -> Path:
    card_path = package / "model.json"
    card = json.loads(card_path.read_text())
    card["name"], card["version"] = name, version
    card_path.write_text(json.dumps(card))
    return package


HOSTILE_NAMES = [("../../x", "1.0.0"), ("a/b", "1.0.0"), ("..", "1.0.0"), ("/tmp/abs", "1.0.0"),
                 ("tiny", "../../../evil"), ("tiny", ".."), ("tiny", "1/2"), (".hidden", "1.0.0"),
                 ("ti\nny", "1.0.0")]


@pytest.mark.parametrize("name,version", HOSTILE_NAMES)
def test_models_add_never_writes_outside_the_registry(tiny_package, tmp_path, name, version):
    registry = Registry()
    watched = Path(os.environ["NEUROVIEW_HOME"]).parents[1]  # the run's folder around the homes
    before = _tree(watched), _tree(tmp_path)
    _rename(tiny_package, name, version)
    with pytest.raises(ModelError, match="is not allowed"):
        registry.add(tiny_package)
    assert (_tree(watched), _tree(tmp_path)) == before
    assert not registry.models_dir.exists() or not any(registry.models_dir.iterdir())


def test_models_add_cli_gives_one_clean_line(cli, tiny_package, tmp_path):
    _rename(tiny_package, "../../../escaped")
    home = tmp_path / "home"
    result = cli("models", "add", tiny_package, env={"NEUROVIEW_HOME": str(home)})
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "model name is not allowed: it holds '..' (name not shown)" in lines[0]
    assert "escaped" not in result.stderr
    assert "Traceback" not in result.stderr
    assert not list(tmp_path.rglob("escaped*"))


def test_safe_join_and_check_name(tmp_path):
    from neuroview.core.errors import NeuroviewError
    from neuroview.core.safepath import check_name, safe_join

    root = tmp_path / "root"
    root.mkdir()
    (root / "out").symlink_to(tmp_path)
    assert safe_join(root, "a@1.0.0") == (root / "a@1.0.0").resolve()
    for parts in (("..", "x"), ("/etc/passwd",), ("out", "x"), ("a/../../x",)):
        with pytest.raises(NeuroviewError, match="points outside"):
            safe_join(root, *parts)
    for good in ("lesionseg", "1.1.0", "nnunet-3d_fullres-fold0+1", "a" * 64):
        assert check_name(good, "name") == good
    for bad in ("", "..", "a..b", "a/b", "a\\b", ".x", "-x", "a" * 65, None, 3, "é"):
        with pytest.raises(NeuroviewError, match="is not allowed"):
            check_name(bad, "name")


@pytest.mark.parametrize("value, fault", [
    ("../../x", "it holds '..'"),
    ("Doe/ZZSECRET^PATIENT", "it holds '/'"),
    ("ZZSECRET PATIENT", "it holds a space"),
    ("ZZSECRET\x1b[31mPATIENT", "it holds a control character"),
    ("ZZSECRÉT-PATIENT", "it holds a character that is not ASCII"),
    (".ZZSECRET_PATIENT", "it starts with '.'"),
    ("ZZSECRET" * 1250, "it is 10000 characters long"),
    (["ZZSECRET"] * 1_000_000, "it is not text (list)"),
    ("", "it is empty"),
])
def test_a_refused_name_is_said_without_quoting_it(value, fault):
    """A card's or dataset's name can carry a patient's name: the refusal says what is wrong with
    it, not the name (quoted until session 45; a name of 10 kB made a 10 kB line until 41)."""
    from neuroview.core.errors import NeuroviewError
    from neuroview.core.safepath import check_name

    with pytest.raises(NeuroviewError) as caught:
        check_name(value, "model name", "pkg/model.json")
    assert str(caught.value) == (f"pkg/model.json: model name is not allowed: {fault} (name not "
                                 "shown); use 1-64 letters, digits, '.', '_', '+' or '-', starting "
                                 "with a letter or digit")


def test_card_weights_file_outside_the_package_is_refused(tiny_package, tmp_path):
    from neuroview.ai.package import load_model

    outside = tmp_path / "outside.safetensors"
    shutil.copy(tiny_package / "weights.safetensors", outside)
    card_path = tiny_package / "model.json"
    card = json.loads(card_path.read_text())
    for name in ("../outside.safetensors", str(outside), "/dev/zero"):
        card["weights_file"] = name
        card_path.write_text(json.dumps(card))
        with pytest.raises(ModelError, match="weights file must be a relative path inside"):
            load_model(tiny_package)
    (tiny_package / "link.safetensors").symlink_to(outside)
    card["weights_file"] = "link.safetensors"
    card_path.write_text(json.dumps(card))
    with pytest.raises(ModelError, match="points outside"):
        load_model(tiny_package)


# -- TorchScript needs consent -----------------------------------------------------------------

class _MarkerNet(torch.nn.Module):
    """Segments like a threshold, and as a side effect writes 'AAAA' into ``marker``."""

    def __init__(self, marker: str) -> None:
        super().__init__()
        self.marker = marker

    def forward(self, x):
        written = torch.from_file(self.marker, shared=True, size=4, dtype=torch.uint8)
        written.fill_(65)
        fg = x[:, :1] - 0.5
        return torch.cat([torch.zeros_like(fg), fg], dim=1) + written.sum().to(x.dtype) * 0


@pytest.fixture
def marker_model(tmp_path, card_factory):
    """``(model.pt with its card, marker path, image path)``."""
    from neuroview.io.nifti import save_nifti

    marker = tmp_path / "marker.bin"
    model = tmp_path / "evil.pt"
    torch.jit.script(_MarkerNet(str(marker))).save(str(model))
    card = card_factory(name="evil", format="torchscript", weights_file="evil.pt")
    (tmp_path / "evil.pt.json").write_text(card.to_json())
    image = np.zeros((16, 16, 16), np.float32)
    image[4:12, 4:12, 4:12] = 1.0
    path = save_nifti(image, np.diag([2.0, 2.0, 2.0, 1.0]), tmp_path / "image.nii.gz")
    return model, marker, path


def test_torchscript_runs_only_with_remembered_consent(marker_model, tmp_path):
    # each run a process of its own, forked from this one (torch imported once: 4 x 2 s of CPU).
    # Forked after tests/ai/test_ai_onnx.py, the refused run hung 300 s in session 40's CIs:
    # it freed that module's ONNX session, left in ai.segment's cache (ai/onnx_session.py)
    cli = run_main_forked
    model, marker, image = marker_model
    home = {"NEUROVIEW_HOME": str(tmp_path / "home")}
    out = tmp_path / "seg.nii.gz"
    refused = cli("segment", image, "-o", out, "--model", model, "--device", "cpu", env=home)
    assert refused.returncode == 1
    assert not marker.exists() and not out.exists()
    last = refused.stderr.strip().splitlines()[-1]
    assert "runs code stored in the model file" in last and "--trust-code" in last
    assert "Traceback" not in refused.stderr

    trusted = cli("segment", image, "-o", out, "--model", model, "--device", "cpu", "--trust-code",
                  env=home)
    assert trusted.returncode == 0, trusted.stderr
    assert marker.read_bytes() == b"AAAA" and out.exists()
    consent = tmp_path / "home" / "trusted-code.json"
    assert (consent.stat().st_mode & 0o777) == 0o600

    marker.unlink()  # remembered: runs again without the flag
    again = cli("segment", image, "-o", out, "--model", model, "--device", "cpu", env=home)
    assert again.returncode == 0 and marker.exists()

    marker.unlink()
    with open(model, "ab") as handle:  # another file now (a zip still loads with trailing bytes)
        handle.write(b"\0")
    changed = cli("segment", image, "-o", out, "--model", model, "--device", "cpu", env=home)
    assert changed.returncode == 1 and "--trust-code" in changed.stderr
    assert not marker.exists()


def test_models_add_records_consent_and_refuses_without(marker_model, tmp_path):
    cli = run_main_forked
    model, marker, _image = marker_model
    home = tmp_path / "home"
    refused = cli("models", "add", model, env={"NEUROVIEW_HOME": str(home)})
    assert refused.returncode == 1 and "--trust-code" in refused.stderr
    assert not (home / "models").exists() or not any((home / "models").iterdir())
    added = cli("models", "add", model, "--trust-code", env={"NEUROVIEW_HOME": str(home)})
    assert added.returncode == 0, added.stderr
    assert (home / "models" / "evil@1.0.0" / "evil.pt").is_file()
    with pytest.raises(CodeConsentError):  # another user folder: no consent there
        from neuroview.ai.package import load_model

        load_model(home / "models" / "evil@1.0.0")


def test_nnunet_card_checkpoint_name_cannot_leave_the_fold_folder(tmp_path):
    from neuroview.ai.nnunet_files import find_checkpoints

    (tmp_path / "fold_0").mkdir()
    (tmp_path / "fold_0" / "checkpoint_final.pth").write_bytes(b"x")
    (tmp_path / "secret.pth").write_bytes(b"x")
    assert [f for _, f in find_checkpoints(tmp_path)] == [tmp_path / "fold_0" / "checkpoint_final.pth"]
    for name in ("../secret.pth", "/etc/passwd", ".."):
        with pytest.raises(ModelError, match="checkpoint is not allowed"):
            find_checkpoints(tmp_path, checkpoint=name)


def test_train_from_a_torchscript_base_needs_trust_code(tmp_path, card_factory, capsys):
    """``train --base FILE.pt`` loads code as ``segment`` does: refused without --trust-code; with
    it, the consent is recorded and the fine-tuned package is safetensors (no code)."""
    import nibabel as nib

    from neuroview.ai.consent import file_sha256
    from neuroview.ai.networks import build_network
    from neuroview.cli.main import main

    card = card_factory(name="scripted", format="torchscript", weights_file="scripted.pt")
    torch.manual_seed(0)
    model = tmp_path / "scripted.pt"
    torch.jit.script(build_network(card.architecture, card.hyperparameters)).save(str(model))
    (tmp_path / "scripted.pt.json").write_text(card.to_json())
    root = tmp_path / "Dataset001_Blobs"
    (root / "imagesTr").mkdir(parents=True)
    (root / "labelsTr").mkdir()
    affine = np.diag([2.0, 2.0, 2.0, 1.0])
    for number in range(3):
        label = np.zeros((16, 16, 16), np.uint8)
        label[4 + number:10, 5:11, 6:12] = 1
        image = (100 + 150 * label).astype(np.float32)
        nib.save(nib.Nifti1Image(image, affine), root / "imagesTr" / f"c{number}_0000.nii.gz")
        nib.save(nib.Nifti1Image(label, affine), root / "labelsTr" / f"c{number}.nii.gz")
    (root / "dataset.json").write_text(json.dumps({
        "channel_names": {"0": "T1"}, "labels": {"background": 0, "lesion": 1},
        "numTraining": 3, "file_ending": ".nii.gz"}))
    out = tmp_path / "tuned"
    args = ["train", "--dataset", str(root), "--base", str(model), "--out", str(out),
            "--epochs", "1", "--iterations", "1", "--batch-size", "1", "--validation-fraction", "0.34"]
    consent = Path(os.environ["NEUROVIEW_HOME"]) / "trusted-code.json"
    assert main(args) == 1
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and "runs code stored in the model file" in lines[0]
    assert "--trust-code" in lines[0] and str(model) in lines[0]
    assert not consent.exists() and not out.exists()
    assert main([*args, "--trust-code"]) == 0, capsys.readouterr().err
    assert file_sha256(model) in json.loads(consent.read_text())["sha256"]
    tuned = json.loads((out / "model.json").read_text())
    assert tuned["format"] == "safetensors" and tuned["parent"] == "scripted@1.0.0"
    assert (out / "weights.safetensors").is_file() and not list(out.glob("*.pt"))


def _outside_link(package: Path, tmp_path: Path) -> str:
    secret = tmp_path / "another_users_folder"
    secret.mkdir()
    (secret / "private.txt").write_text("not yours")
    (package / "extra").symlink_to(secret)
    return "symbolic link pointing outside it"


def _loop_link(package: Path, tmp_path: Path) -> str:
    (package / "loop").symlink_to(package)
    return "a symbolic link to a folder"


def _named_pipe(package: Path, tmp_path: Path) -> str:
    os.mkfifo(package / "pipe")
    return "not a regular file"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX")
@pytest.mark.parametrize("plant", [_outside_link, _loop_link, _named_pipe])
def test_models_add_copies_no_symlink_out_of_the_package_nor_a_pipe(tiny_package, tmp_path, plant):
    """``models add`` copied the package with ``shutil.copytree``, which follows symlinks: a link
    to another user's folder was copied into the registry (one to ``/dev/zero`` fills the disk), a
    link to the package itself looped, and a named pipe ended in an internal error that left the
    half-copied ``.adding`` folder behind. (The command line's main in a forked process: a fresh
    ``python -m neuroview`` spent 2 s of CPU importing torch before the copy.)"""
    said = plant(tiny_package, tmp_path)
    home = tmp_path / "home"
    result = run_main_forked("models", "add", tiny_package, env={"NEUROVIEW_HOME": str(home)})
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 1 and len(lines) == 1, result.stderr
    assert lines[0].startswith(f"neuroview: error: {tiny_package}: the model package holds ")
    assert said in lines[0] and "internal error" not in lines[0]
    assert not (home / "models").exists() or not any((home / "models").iterdir())


def test_removing_a_registry_entry_that_links_to_another_folder_removes_the_link_only(
        cli, tiny_package, tmp_path):
    """A registry entry that is a symbolic link to a package elsewhere (another user's): ``models
    remove`` keeps their folder, and now removes the link (``shutil.rmtree`` refused it in silence
    and ``.NAME.removing`` stayed in the registry for good)."""
    home = tmp_path / "home"
    (home / "models").mkdir(parents=True)
    (home / "models" / "tiny@1.0.0").symlink_to(tiny_package)
    before = _tree(tiny_package)
    result = cli("models", "remove", "tiny@1.0.0", env={"NEUROVIEW_HOME": str(home)})
    assert result.returncode == 0, result.stderr
    assert _tree(tiny_package) == before
    assert list((home / "models").iterdir()) == []


def _consent_fifo(path: Path) -> None:
    os.mkfifo(path)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX")
@pytest.mark.parametrize("damage", [
    '{"sha256": 5}', "[" * 100_000 + "]" * 100_000, b"\xff\xfe", _consent_fifo])
def test_a_damaged_consent_file_trusts_nothing_and_says_so_in_one_line(cli, marker_model, tmp_path,
                                                                       damage, capsys, monkeypatch):
    """trusted-code.json under NEUROVIEW_HOME holding a number, JSON nested 100,000 deep or bytes
    that are not UTF-8 was an internal error of any TorchScript load, and a named pipe there
    hung it. Now consent fails closed: the model is refused in the usual line, after one saying
    the consent file was damaged and kept aside (since session 38). (The command line's
    main runs in this process; for the pipe, which hung it, in a process of its own with a
    timeout.)"""
    model, marker, image = marker_model
    home = tmp_path / "home"
    home.mkdir()
    consent = home / "trusted-code.json"
    if callable(damage):
        damage(consent)
    elif isinstance(damage, bytes):
        consent.write_bytes(damage)
    else:
        consent.write_text(damage)
    if damage is _consent_fifo:
        result = cli("models", "add", model, env={"NEUROVIEW_HOME": str(home)}, timeout=60)
        code, err = result.returncode, result.stderr
    else:
        from neuroview.cli.main import main

        monkeypatch.setenv("NEUROVIEW_HOME", str(home))
        code, err = main(["models", "add", str(model)]), capsys.readouterr().err
    lines = err.strip().splitlines()
    assert code == 1 and len(lines) == 2, err
    assert lines[0].startswith(f"note: {consent}: ") and lines[0].endswith(
        "; no model's code is trusted until it is asked again; the file kept as "
        "trusted-code.json.bad"), lines[0]
    assert "runs code stored in the model file" in lines[1] and "--trust-code" in lines[1]
    assert not marker.exists()
