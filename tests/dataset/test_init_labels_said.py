"""``dataset init --labels lesion`` added label 0 'background' in silence, and
``--labels background,,x`` made background and x, the empty name dropped (session 40's CLI walk):
the first is said on stderr (stdout stays the folder, for scripts), the second refused, no
folder made."""

from __future__ import annotations

import json

CLI_FORKED = "what `dataset init` says and writes; no network runs"


def test_background_added_is_said(tmp_path, cli):
    result = cli("dataset", "init", tmp_path, "--name", "L", "--labels", "lesion")
    assert result.returncode == 0, result.stderr
    folder = tmp_path / "Dataset501_L"
    assert result.stdout == f"{folder}\n"
    assert result.stderr == "note: added 'background' as label 0 before lesion (1)\n"
    labels = json.loads((folder / "dataset.json").read_text())["labels"]
    assert labels == {"background": 0, "lesion": 1}
    again = cli("dataset", "init", tmp_path, "--name", "M", "--labels", "background,lesion")
    assert again.returncode == 0 and again.stderr == "", again.stderr


def test_an_empty_label_name_is_refused(tmp_path, cli):
    for labels, number in (("background,,x", 2), ("lesion,", 2)):
        result = cli("dataset", "init", tmp_path, "--name", "L", "--labels", labels)
        assert result.returncode == 1 and result.stdout == "", result.stdout
        assert result.stderr.splitlines() == [
            f"neuroview: error: --labels {labels!r}: name {number} is empty; give each "
            "label a name, e.g. background,lesion"], result.stderr
    assert list(tmp_path.iterdir()) == []
