"""The README's Python example of AI click (``s.prompt(...)``, ``s.accept_preview()``, the batch
``segment_object``) runs as written, on the demo image saved as ``brain.nii.gz``: it used
``volume``, a name the example never defined (NameError at its last line)."""

from __future__ import annotations

import re
import shutil

import pytest

from tests.checkout import REPO

pytest.importorskip("torch")


def _readme_block(containing: str) -> str:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    blocks = [b for b in re.findall(r"```python\n(.*?)```", text, re.S) if containing in b]
    assert len(blocks) == 1, f"{len(blocks)} README blocks hold {containing!r}"
    return blocks[0]


def test_the_readme_ai_click_example_runs_as_written(tmp_path, monkeypatch):
    shutil.copy(REPO / "resources" / "demo" / "mni152_t1_lesions.nii.gz", tmp_path / "brain.nii.gz")
    monkeypatch.chdir(tmp_path)
    code = _readme_block("segment_object(")
    names: dict = {}
    # ``Session`` comes from the README's first Python example (``from neuroview import Session``)
    exec(compile("from neuroview import Session\n" + code, "README.md", "exec"), names)
    s, lesion, result = names["s"], names["lesion"], names["result"]
    assert s.prompting is None and (s.labels.array == lesion.value).sum() > 0   # accepted
    assert result.probability.size and 0.0 <= result.probability.min() <= result.probability.max() <= 1.0
