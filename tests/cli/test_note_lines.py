"""Every line neuroview writes on stderr starts ``neuroview: `` or ``note: `` (session 44 gave
most of them the prefix): ``segment``'s notes on its result (``SOURCE: brain extraction
skipped ...``), ``dataset rank``'s ``NAME: WHY, not ranked`` and ``ranking with X``, and the
``N series found; ...`` line of a folder of several series were still bare until session 45."""

from __future__ import annotations

import ast
from pathlib import Path

import numpy as np
import pytest

import neuroview.cli

BARE_ALLOWED = {
    "f'[{number}/{len(cases)}] {case}'",   # a batch's progress, as TextProgress's lines
    "f'{write_ranking_csv(args.output, [])} now lists no case'",   # where the output went
    "f\"{args.json}  ({plural(len(listed), 'model')})\"",   # as segment's file line
    "stop_line(stop)",   # 'neuroview: interrupted' or 'neuroview: stopped (SIGTERM)'
    "kept_note(folder, started, args.resume, _again, '--minutes=0' if args.interactive else "
    "'--epochs={}')",   # 'note: ...'
}


def _bare_stderr_prints() -> list[str]:
    """The command line's ``print(..., file=sys.stderr)`` whose text does not start with a prefix."""
    bare = []
    for path in sorted(Path(neuroview.cli.__file__).parent.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if not (isinstance(node, ast.Call) and getattr(node.func, "id", None) == "print"
                    and any(k.arg == "file" and ast.unparse(k.value) == "sys.stderr"
                            for k in node.keywords) and node.args):
                continue
            first = node.args[0]
            head = first.values[0] if isinstance(first, ast.JoinedStr) and first.values else first
            text = head.value if isinstance(head, ast.Constant) else ""
            if isinstance(head, ast.FormattedValue) and ast.unparse(head.value) == "stop_line(stop)":
                text = "neuroview: "   # f'{stop_line(stop)}: ...' (pacs get's Ctrl+C line)
            if not text.startswith(("note: ", "neuroview")) and \
                    ast.unparse(first) not in BARE_ALLOWED:
                bare.append(f"{path.name}:{node.lineno}: {ast.unparse(first)}")
    return bare


def test_no_command_line_stderr_print_is_bare():
    assert _bare_stderr_prints() == []


def test_segment_says_its_result_notes_as_notes(tmp_path, capsys):
    """A 64 mm slab through a tiny model that asks for brain extraction: the model's note on
    stderr is 'note: SOURCE: brain extraction skipped: ...' (it was 'SOURCE: brain ...')."""
    pytest.importorskip("torch")
    from neuroview.cli.main import main
    from neuroview.io.nifti import save_nifti
    from tests.ai.preprocess_models import everywhere_model

    package = everywhere_model(tmp_path, [{"step": "brain_extraction", "margin_mm": 3}])
    source = tmp_path / "slab.nii.gz"
    image = np.random.default_rng(3).uniform(100, 200, (16, 16, 16)).astype(np.float32)
    save_nifti(image, np.diag([4.0, 4.0, 4.0, 1.0]), source)

    code = main(["segment", str(source), "-o", str(tmp_path / "seg.nii.gz"), "--model",
                 str(package), "--device", "cpu"])
    err = capsys.readouterr().err
    assert code == 0, err
    assert f"note: {source}: brain extraction skipped: the field of view (64 x 64 x 64 mm) is " \
        "smaller than a head" in err.splitlines(), err
    assert all(line.startswith(("note: ", "progress ", "\r")) for line in err.splitlines()), err
