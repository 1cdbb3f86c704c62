"""Interactive (promptable) segmentation: clicks, boxes, scribbles and lassos in RAS mm -> one object.

- :mod:`.prompts`  the prompt dataclasses (no torch);
- :mod:`.engine`   the contract (:class:`~.engine.PromptableModel`) and the ROI logic shared by
  every backend (no torch);
- :mod:`.model`    the bundled network as a backend (torch);
- :mod:`.simulate` simulated users, :mod:`.train` the recipe (``neuroview train --interactive``):
  its training cubes (:mod:`.cubes`), simulated-user rounds with the network (:mod:`.rounds`)
  and the click metrics a card records (:mod:`.card_metrics`).

For batch use::

    from neuroview.ai.interactive import segment_object, PointPrompt
    result = segment_object(volume, [PointPrompt((x, y, z))])
    mask_region = result.mask()          # on volume voxels result.lo .. result.lo + shape
"""

from __future__ import annotations

from .prompts import BoxPrompt, LassoPrompt, PointPrompt, PromptSet, ScribblePrompt


def segment_object(volume, prompts, previous=None, model=None, window=None):
    """One object from ``prompts`` (a list or :class:`PromptSet`) on a :class:`Volume` with the
    bundled network (or ``model``, any :class:`~.engine.PromptableModel`); ``window`` (width,
    level): the image seen through it (a CT's, as the window's AI click does)."""
    from ...core.errors import ToolError
    from ...core.volume import Volume, model_input_problem, not_a_volume
    from .engine import InteractiveSegmenter
    from .model import NetworkPromptModel

    if not isinstance(volume, Volume):
        raise not_a_volume("volume", volume)
    if model_input_problem(volume):
        raise ToolError(model_input_problem(volume))
    if not isinstance(prompts, PromptSet):
        prompts = PromptSet(list(prompts))
    segmenter = InteractiveSegmenter(volume.frame_as_shown(0), volume.ijk_to_ras,
                                     model or NetworkPromptModel(), window=window)
    return segmenter.run(prompts, previous)


__all__ = ["BoxPrompt", "LassoPrompt", "PointPrompt", "PromptSet", "ScribblePrompt", "segment_object"]
