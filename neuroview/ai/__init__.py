"""On-device segmentation models: the only package that imports torch (lazily).

``neuroview.ai.api`` (cards, requests, results) and this module import without torch;
:func:`segment_volume` loads torch when it runs.
"""

from __future__ import annotations


def segment_volume(volume, model_ref: str = "", device: str = "auto", progress=None, cancel=None,
                   mirror: bool = False):
    """Segment ``volume`` (a Volume, or one Volume per input channel) with a registry model.

    Returns ``(labels, segments, model, device)``: a uint8 array on the volume's own grid, a list of
    ``(value, name, (r, g, b))``, the model's ``name@version`` and the device used. ``progress``
    is called as ``progress(done, total, text)`` after each patch; setting ``cancel`` (a
    :class:`neuroview.core.jobs.CancelToken`) stops it within one patch with ``Cancelled``.
    """
    from .segment import segment_volume as _segment_volume

    return _segment_volume(volume, model_ref, device, progress, cancel, mirror)


__all__ = ["segment_volume"]
