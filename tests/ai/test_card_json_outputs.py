"""``--json`` outputs with a damaged card in the registry (found by bench/editor_fuzz.py): a card
whose held-out figures are NaN or infinite (1e999 in its JSON) made ``models list --json`` print
``NaN`` / ``Infinity``, which is not JSON (jq, JavaScript and other readers refuse the whole
list). Such a card is now unreadable, named in one line, and the list stays JSON."""

from __future__ import annotations

import contextlib
import io
import json

import pytest

from neuroview.cli.main import main

pytest.importorskip("torch")


def strict(text: str):
    def refuse(name):
        raise ValueError(f"{name} is not JSON")
    return json.loads(text, parse_constant=refuse)


@pytest.mark.parametrize("metrics", [
    '{"held_out_dice": {"lesion": NaN}}',
    '{"held_out_dice": {"lesion": 1e999}}',
    '{"held_out_lesionwise": {"f1": -1e999, "lesions": 3}}',
    '{"base_held_out": {"ref": "x@1.0.0", "dice": {"lesion": NaN}}}',
], ids=["dice-nan", "dice-inf", "lesionwise-inf", "base-nan"])
def test_models_list_json_stays_json_with_a_card_of_nan_figures(tiny_package, metrics):
    from neuroview.ai.registry import Registry

    entry = Registry().add(tiny_package)
    card = entry.path / "model.json"
    text = json.dumps(dict(json.loads(card.read_text()), metrics="__M__"))
    card.write_text(text.replace('"__M__"', metrics))
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        assert main(["models", "list", "--json"]) == 0
    listed = strict(out.getvalue())
    assert "tiny@1.0.0" not in {row["model"] for row in listed}
    assert err.getvalue().count("\n") == 1 and str(card) in err.getvalue()
