"""pydicom's compression codecs, loaded when the first compressed frame is decoded.

``import pydicom`` imports every installed codec package at once (python-gdcm, pylibjpeg with
its plugins, Pillow, pyjpegls) to register its pixel-data plugins: about 0.08 s of CPU, a fifth
of a small ``neuroview convert``, spent even when every file is uncompressed and read without
them. :func:`import_pydicom_without_codecs` imports pydicom with those packages hidden, so pydicom
registers their plugins as unavailable; :func:`ensure_codecs`, called before anything is decoded
by pydicom, re-runs pydicom's plugin modules with the packages visible and registers the plugins
again, in pydicom's order: afterwards pydicom is in the state a plain ``import pydicom`` leaves
(tested against one, plugin by plugin). Only the command line (``convert``, ``info``) imports
pydicom this way; in the window and in scripts pydicom is imported as usual and
:func:`ensure_codecs` does nothing.
"""

from __future__ import annotations

import importlib
import sys
import threading

from ...core.deferred_imports import hidden_modules

CODEC_PACKAGES = ("gdcm", "pylibjpeg", "openjpeg", "libjpeg", "rle", "PIL", "jpeg_ls")
"""Top-level packages that pydicom's plugin modules import at ``import pydicom``."""

_RELOAD = (
    "pydicom.pixels.processing",
    "pydicom.pixels.decoders.gdcm", "pydicom.pixels.decoders.pylibjpeg",
    "pydicom.pixels.decoders.pillow", "pydicom.pixels.decoders.pyjpegls",
    "pydicom.pixels.encoders.gdcm", "pydicom.pixels.encoders.pylibjpeg",
    "pydicom.pixels.encoders.pyjpegls",
    "pydicom.pixel_data_handlers.gdcm_handler", "pydicom.pixel_data_handlers.pillow_handler",
    "pydicom.pixel_data_handlers.jpeg_ls_handler",
    "pydicom.pixel_data_handlers.pylibjpeg_handler",
)
"""pydicom's modules that import a codec package (``try: import gdcm`` and the like)."""

_DECODER_PLUGINS = {label: (f"pydicom.pixels.decoders.{label}", "_decode_frame")
                    for label in ("gdcm", "pylibjpeg", "pillow", "pyjpegls")}
_ENCODER_PLUGINS = {
    "gdcm": ("pydicom.pixels.encoders.gdcm", "encode_pixel_data"),
    "pylibjpeg": ("pydicom.pixels.encoders.pylibjpeg", "_encode_frame"),
    "pyjpegls": ("pydicom.pixels.encoders.pyjpegls", "_encode_frame"),
}

_deferred = False
_lock = threading.Lock()
_prepare_pydicom: list = []


def prepare_pydicom_with(importer) -> None:
    """Have :func:`ensure_pydicom` import pydicom with ``importer`` (the command line's import
    without the network libraries and codecs) the first time a file needs pydicom: a
    ``neuroview convert`` whose files neuroview's own reader reads never imports it."""
    _prepare_pydicom[:] = [importer]


def ensure_pydicom() -> None:
    """Call before pydicom is imported on the scan's and loader's paths (see above)."""
    if _prepare_pydicom and "pydicom" not in sys.modules:
        _prepare_pydicom[0]()


def import_pydicom_without_codecs() -> None:
    """Import pydicom with its codec packages left for :func:`ensure_codecs` to load."""
    global _deferred
    if "pydicom" in sys.modules:
        return
    if any(name in sys.modules for name in CODEC_PACKAGES):
        import pydicom  # noqa: F401  a codec is loaded already: nothing to save
        return
    with hidden_modules(CODEC_PACKAGES):   # ``import gdcm`` and the like fail as if not installed
        import pydicom  # noqa: F401
    if _restorable():
        _deferred = True
        return
    # a pydicom whose plugin registry is not the one ensure_codecs knows: import it again,
    # the plain way (nothing has used it yet)
    for name in [n for n in sys.modules if n == "pydicom" or n.startswith("pydicom.")]:
        del sys.modules[name]
    import pydicom  # noqa: F401, F811


def _restorable() -> bool:
    """Whether pydicom's plugin registry is laid out as :func:`ensure_codecs` expects."""
    try:
        from pydicom.pixels.decoders.base import _PIXEL_DATA_DECODERS
        from pydicom.pixels.encoders.base import _PIXEL_DATA_ENCODERS
    except ImportError:
        return False
    coders = [c for c, _ in (*_PIXEL_DATA_DECODERS.values(), *_PIXEL_DATA_ENCODERS.values())]
    return bool(coders) and all(isinstance(getattr(c, "_available", None), dict)
                                and isinstance(getattr(c, "_unavailable", None), dict)
                                for c in coders)


def ensure_codecs() -> None:
    """Load the codec packages and register their plugins, if pydicom was imported without them.

    Call before pydicom decodes (or encodes) pixel data; cheap once done or when not needed."""
    global _deferred
    if not _deferred:
        return
    with _lock:
        if not _deferred:
            return
        for name in _RELOAD:
            module = sys.modules.get(name)
            if module is not None:
                importlib.reload(module)
        from pydicom.pixels.decoders.base import _PIXEL_DATA_DECODERS
        from pydicom.pixels.encoders.base import _PIXEL_DATA_ENCODERS

        for decoder, _ in _PIXEL_DATA_DECODERS.values():
            _register_again(decoder, _DECODER_PLUGINS)
        for encoder, _ in _PIXEL_DATA_ENCODERS.values():
            _register_again(encoder, _ENCODER_PLUGINS)
        _deferred = False


def _register_again(coder, plugins: dict) -> None:
    """Add the hidden plugins again, before the ones that were available without a codec
    package (pydicom lists its own pure-Python plugins last)."""
    hidden = [label for label in coder._unavailable if label in plugins]
    if not hidden:
        return
    kept = dict(coder._available)
    coder._available.clear()
    for label in hidden:
        del coder._unavailable[label]
        coder.add_plugin(label, plugins[label])
    coder._available.update(kept)
