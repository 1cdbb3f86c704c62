"""A safetensors header listing one tensor more than the card's network, of 30 GB (a sparse file:
a few MB on disk), is refused from the file's size, before safetensors loads a tensor: it was
``internal error: MemoryError`` under a 4 GiB address-space limit, and 30 GB of memory without one.
Run under tests/io/limited_cli.py's limit, so that the code before the fix cannot fill the
machine."""

from __future__ import annotations

import json
import struct

from tests.io.limited_cli import run_limited

HUGE = 8_000_000_000
"""float32 values of the added tensor: 29.8 GB."""


def _add_huge_tensor(weights) -> None:
    raw = weights.read_bytes()
    (length,) = struct.unpack("<Q", raw[:8])
    header, data = json.loads(raw[8:8 + length]), raw[8 + length:]
    header["zz_extra"] = {"dtype": "F32", "shape": [HUGE],
                          "data_offsets": [len(data), len(data) + 4 * HUGE]}
    text = json.dumps(header).encode()
    text += b" " * (-len(text) % 8)
    with open(weights, "wb") as handle:
        handle.write(struct.pack("<Q", len(text)) + text + data)
        handle.truncate(handle.tell() + 4 * HUGE)


def test_weights_larger_than_the_network_are_refused_before_loading(tmp_path, tiny_package):
    weights = tiny_package / "weights.safetensors"
    _add_huge_tensor(weights)
    card = json.loads((tiny_package / "model.json").read_text())
    card["training"].pop("weights_sha256", None)
    (tiny_package / "model.json").write_text(json.dumps(card))
    [result] = run_limited([["models", "add", str(tiny_package)]],
                           env={"NEUROVIEW_HOME": str(tmp_path / "home")})
    lines = result["stderr"].strip().splitlines()
    assert result["rc"] == 1 and len(lines) == 1, result["stderr"]
    assert lines[0].startswith(f"neuroview: error: {weights}: weights file holds 29.8 GB, more "
                               "than the card's unet3d network can use ("), lines[0]
    assert result["peak_rss"] < 256 << 20
    assert not (tmp_path / "home" / "models").exists() or not any((tmp_path / "home" / "models").iterdir())
