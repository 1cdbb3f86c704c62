"""A package whose card cannot be read is named, not left out in silence: ``models list`` says so
on stderr, and the registry tells which promoted default it passed over (the Models dialog's line
is tested in tests/ui/test_models_unreadable.py)."""

from __future__ import annotations

import pytest

from neuroview.ai.registry import Registry

CLI_FORKED = "what `models` says of a damaged models.json and that it keeps the file; no network runs"
"""The ``cli`` fixture runs the command line's main in a forked copy (tests/conftest.py): 40
commands, each 0.25 s of CPU in a fresh process, mostly imports."""


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
        "(it ends at line 1, column 51, where a value belongs: cut short?)"]
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


def _fifo(path):
    import os

    os.mkfifo(path)


@pytest.mark.parametrize("content, said", [
    ('{"defaults": [], "history": {}}', "'defaults' is not an object of task: model names"),
    ('{"defaults": {"lesion": 3}}', "'defaults' is not an object of task: model names"),
    ('{"history": {"lesion": "tiny@1"}}', "'history' is not an object of task: lists of model names"),
    ("[1, 2]", "a JSON list, not an object"),
    (b"\xff\xfe{}", "(not UTF-8 text: byte 0xff at offset 0)"),   # was Python's codec text
    ("[" * 100_000, "it is nested too deeply to read"),
    ("", "(it is empty)"),   # emptied by a crash: was "Expecting value: line 1 column 1 (char 0)"
    ('{"defaults": {"lesion": "tiny@1.0.0"',   # was "Expecting ',' delimiter: line 1 ..."
     "(it ends at line 1, column 37, where a ',' or a closing bracket belongs: cut short?)"),
    pytest.param(_fifo, "it is not a regular file", marks=pytest.mark.skipif(
        not hasattr(__import__("os"), "mkfifo"), reason="POSIX")),
])
def test_a_damaged_models_json_is_one_line_and_is_kept(content, said, cli):
    """models.json of the wrong shape was an internal error (AttributeError, UnicodeDecodeError,
    RecursionError), a named pipe hung every command, and a file that was not JSON was passed over
    in silence: the promoted default vanished, and the next promotion wrote over the history."""
    registry = Registry()
    registry.home.mkdir(parents=True, exist_ok=True)
    if callable(content):
        content(registry.state_file)
    elif isinstance(content, bytes):
        registry.state_file.write_bytes(content)
    else:
        registry.state_file.write_text(content)
    for args in (["list"], ["default"], ["default", "lesionseg"], ["rollback"]):
        result = cli("models", *args, timeout=60)
        lines = result.stderr.strip().splitlines()
        assert result.returncode == 1 and len(lines) == 1, (args, result.stderr)
        assert lines[0].startswith(f"neuroview: error: {registry.state_file}: model settings "
                                   f"cannot be read ("), lines[0]
        assert said in lines[0] and "delete it" in lines[0]
        if not callable(content):
            assert registry.state_file.read_bytes() == (
                content if isinstance(content, bytes) else content.encode())


def test_a_model_whose_card_cannot_be_read_is_named_with_its_card(capsys):
    """``models show broken@1.0.0`` said "no model 'broken@1.0.0' in the registry" of a model that
    is installed: now the card's own line (found by bench/folder_fuzz.py)."""
    from neuroview.cli.main import main

    registry = Registry()
    _break(registry, "broken@1.0.0")
    card = registry.models_dir / "broken@1.0.0" / "model.json"
    for ref in ("broken@1.0.0", "broken"):
        assert main(["models", "show", ref]) == 1
        assert capsys.readouterr().err.strip().splitlines() == [
            f"neuroview: error: {card}: model card is not valid JSON (it ends at line 1, "
            "column 51, where a value belongs: cut short?)"]
