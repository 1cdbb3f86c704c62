"""``safe_join``'s refusal names the root and says how the name leaves it (a symbolic link, an
absolute path, '..'), never the name: a dataset folder or a model card may be named after a
patient. It quoted the name and its error's path was the joined one until session 45; the
command still says which arguments made the folder (``--out and --version``)."""

from __future__ import annotations

import pytest

from neuroview.core.errors import NeuroviewError
from neuroview.core.safepath import safe_join
from tests.checkout import run_cli


@pytest.mark.parametrize("parts, how", [
    (("DOE^JANE@1.0.0",), "a symbolic link there leads out"),
    (("/tmp/DOE^JANE",), "it is an absolute path"),
    (("..", "DOE^JANE"), "it goes through '..'"),
])
def test_the_refusal_says_how_but_not_the_name(tmp_path, parts, how):
    root = tmp_path / "models"
    root.mkdir()
    (root / "DOE^JANE@1.0.0").symlink_to(tmp_path)
    with pytest.raises(NeuroviewError) as caught:
        safe_join(root, *parts, what="model folder")
    assert str(caught.value) == f"model folder points outside {root}: {how} (name not shown)"


def test_train_says_which_arguments_made_the_folder(tmp_path):
    home = tmp_path / "home"
    (home / "models").mkdir(parents=True)
    (home / "models" / "DoeJane@1.0.0").symlink_to(tmp_path)
    result = run_cli("train", "--synthetic", "--out", "DoeJane", "--version", "1.0.0",
                     env={"NEUROVIEW_HOME": str(home)})
    assert result.returncode == 1, result.stderr
    assert result.stderr.strip().splitlines() == [
        f"neuroview: error: the model folder of --out and --version points outside {home / 'models'}: "
        "a symbolic link there leads out (name not shown)"]
    assert list(tmp_path.iterdir()) == [home]
