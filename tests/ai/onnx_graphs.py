"""An ONNX model as other tools write one: a graph of one 1x1x1 convolution over a batch of 1,
logits = (x * 1, x * -1), built with onnx's helpers (no export: milliseconds), its card beside it.
Used by tests/ai/test_onnx_made_elsewhere.py and bench/hostile_campaign.py's ONNX cases."""

from __future__ import annotations

import numpy as np
from model_cards import make_card
from onnx import TensorProto, helper

WEIGHTS = np.array([1.0, -1.0], np.float32)


def conv_model(folder, spatial=("x", "y", "z"), external: dict | None = None):
    """``folder/model.onnx`` and its card. ``external``: the weights kept outside the file, in
    ``folder/w.bin``, with these external-data entries (``location``, ``length``, ``offset``;
    ``None`` values left out)."""
    folder.mkdir(parents=True, exist_ok=True)
    weight = helper.make_tensor("w", TensorProto.FLOAT, [2, 1, 1, 1, 1], WEIGHTS)
    if external is not None:
        (folder / "w.bin").write_bytes(WEIGHTS.tobytes())
        weight.ClearField("float_data")
        weight.data_location = TensorProto.EXTERNAL
        for key, value in external.items():
            if value is not None:
                entry = weight.external_data.add()
                entry.key, entry.value = key, str(value)
    graph = helper.make_graph(
        [helper.make_node("Conv", ["image", "w"], ["logits"])], "conv",
        [helper.make_tensor_value_info("image", TensorProto.FLOAT, [1, 1, *spatial])],
        [helper.make_tensor_value_info("logits", TensorProto.FLOAT, [1, 2, *spatial])], [weight])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    (folder / "model.onnx").write_bytes(model.SerializeToString())
    card = make_card()
    card.format = "onnx"
    (folder / "model.onnx.json").write_text(card.to_json())
    return folder / "model.onnx"
