"""``--json`` means one thing in ``models list`` and ``models compare``: alone or as ``--json -``
the JSON on stdout (compare's readable lines then go to stderr, so a pipe gets the JSON alone),
``--json FILE`` written to FILE. ``compare`` took only a FILE (``--json -`` wrote a file named
``-``) and ``list`` only stdout (``--json FILE`` was a usage error)."""

from __future__ import annotations

import contextlib
import io
import json

import numpy as np
import pytest

from neuroview.cli.main import main
from tests.ui.train_data import make_raw_dataset

pytest.importorskip("torch")


def _run(*args, cwd=None) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), contextlib.chdir(cwd or "."):
        code = main([str(a) for a in args])
    return code, out.getvalue(), err.getvalue()


def test_compare_json_on_stdout_alone_or_in_a_file(tiny_package, tmp_path):
    from neuroview.ai.registry import Registry

    ref = Registry().add(tiny_package).ref
    dataset = make_raw_dataset(tmp_path / "sets", np.random.default_rng(3))
    measure = ("models", "compare", ref, ref, "--dataset", dataset, "--device", "cpu")
    for flag in (["--json", "-"], ["--json"]):
        code, out, err = _run(*measure, *flag, cwd=tmp_path)
        assert code == 0, err
        result = json.loads(out)                  # stdout is the JSON and nothing else
        assert result["dataset"] == "Dataset001_Blobs" and len(result["models"][ref]["dice"]) == 1
        assert f"{ref}: held-out Dice on" in err  # the readable lines, on stderr
        assert not (tmp_path / "-").exists()
    written = tmp_path / "measured.json"         # the window's form: a file, stdout readable
    code, out, err = _run(*measure, "--json", written)
    assert code == 0, err
    assert json.loads(written.read_text()) == result
    assert f"{ref}: held-out Dice on" in out


def test_list_json_on_stdout_or_in_a_file(tiny_package, tmp_path):
    from neuroview.ai.registry import Registry

    entry = Registry().add(tiny_package)
    code, out, _ = _run("models", "list", "--json", "-")
    assert code == 0 and entry.ref in {row["model"] for row in json.loads(out)}
    assert _run("models", "list", "--json")[1] == out
    written = tmp_path / "models.json"
    code, out_file, err_file = _run("models", "list", "--json", written)
    assert code == 0 and out_file == ""
    assert json.loads(written.read_text()) == json.loads(out)
    listed = len(json.loads(out))   # where it went, on stderr (it said nothing at all)
    assert err_file == f"{written}  ({listed} model{'s' * (listed != 1)})\n", err_file


def test_compare_json_without_dataset_is_one_line_and_prints_nothing(capsys):
    assert main(["models", "compare", "lesionseg", "lesionseg", "--json"]) != 0
    out, err = capsys.readouterr()
    assert out == ""
    assert err.strip() == "neuroview: error: --json needs --dataset (it writes what was measured there)"


def test_a_json_file_that_cannot_be_written_is_one_line_before_any_measuring(tmp_path, capsys):
    """It was measured first (minutes on a real split), then an ``internal error``."""
    dataset = make_raw_dataset(tmp_path / "sets", np.random.default_rng(3))
    (tmp_path / "afile").write_text("")
    blocked = tmp_path / "afile" / "measured.json"
    for args in (["models", "compare", "lesionseg", "lesionseg", "--dataset", str(dataset),
                  "--device", "cpu", "--json", str(blocked)], ["models", "list", "--json", str(blocked)]):
        assert main(args) == 1
        out, err = capsys.readouterr()
        assert "held-out Dice on" not in out   # nothing measured
        assert err.strip().splitlines() == [f"neuroview: error: {tmp_path / 'afile'}: cannot create "
                                            "the output folder: a file of that name is in the way"]
