"""A package whose card cannot be read is named, not left out in silence: ``models list`` says so
on stderr, and the registry tells which promoted default it passed over (the Models dialog's line
is tested in tests/ui/test_models_unreadable.py)."""

from __future__ import annotations

from neuroview.ai.registry import Registry


def _break(registry: Registry, ref: str) -> None:
    folder = registry.models_dir / ref
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "model.json").write_text('{"name": "broken", "version": "1.0.0", "labels": [')


def test_models_list_names_an_unreadable_card(capsys):
    from neuroview.cli.main import main

    registry = Registry()
    _break(registry, "broken@1.0.0")
    assert [str(e) for e in registry.unreadable()] == [
        f"{registry.models_dir / 'broken@1.0.0' / 'model.json'}: model card is not valid JSON "
        "(Expecting value: line 1 column 51 (char 50))"]
    assert "broken@1.0.0" not in {e.ref for e in registry.entries()}
    assert main(["models", "list"]) == 0
    err = capsys.readouterr().err
    assert "note: not listed, its card cannot be read:" in err
    assert "broken@1.0.0/model.json: model card is not valid JSON" in err


def test_stored_default_is_the_one_promoted_even_when_it_cannot_be_used(monkeypatch):
    registry = Registry()
    bundled = registry.default_ref()
    state = registry._state()
    state["defaults"]["lesion"] = "broken@1.0.0"
    registry._write_state(state)
    _break(registry, "broken@1.0.0")
    assert registry.default_ref() == bundled            # the card cannot be read: passed over
    assert registry.stored_default() == "broken@1.0.0"  # but the promotion is known
