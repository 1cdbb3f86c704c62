"""``python packaging/make_demo_lesions.py --check`` checks the demo case and writes nothing: it
remade the committed files in ``resources/demo`` first (and made them in an empty ``--out``)."""

from __future__ import annotations

import importlib.util

import pytest

from tests.checkout import REPO


@pytest.fixture
def script(monkeypatch):
    spec = importlib.util.spec_from_file_location("make_demo_lesions",
                                                  REPO / "packaging" / "make_demo_lesions.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.checked, module.made = [], []
    monkeypatch.setattr(module, "check", lambda *paths: module.checked.append(paths) or 0)

    def make(out):   # what writing the case would be (the real one needs nilearn and a minute)
        module.made.append(out)
        for name in (module.IMAGE_NAME, module.TRUTH_NAME):
            (out / name).write_bytes(b"made again")
        return out / module.IMAGE_NAME, out / module.TRUTH_NAME

    monkeypatch.setattr(module, "make", make)
    return module


def _run(script, monkeypatch, *args) -> SystemExit:
    monkeypatch.setattr("sys.argv", ["make_demo_lesions.py", *args])
    with pytest.raises(SystemExit) as stopped:
        script.main()
    return stopped.value


def _state(folder):
    return {path.name: (path.read_bytes(), path.stat().st_mtime_ns) for path in folder.iterdir()}


def test_check_runs_the_model_on_the_files_there_and_writes_nothing(script, tmp_path, monkeypatch):
    for name in (script.IMAGE_NAME, script.TRUTH_NAME):
        (tmp_path / name).write_bytes(b"as committed")
    before = _state(tmp_path)
    assert _run(script, monkeypatch, "--check", "--out", str(tmp_path)).code == 0
    assert script.made == []
    assert script.checked == [(tmp_path / script.IMAGE_NAME, tmp_path / script.TRUTH_NAME)]
    assert _state(tmp_path) == before


def test_check_of_a_folder_without_the_case_says_so_and_writes_nothing(script, tmp_path, monkeypatch):
    said = _run(script, monkeypatch, "--check", "--out", str(tmp_path)).code
    assert said == f"{tmp_path / script.IMAGE_NAME}: no such file (make it first, without --check)"
    assert script.made == script.checked == [] and list(tmp_path.iterdir()) == []
