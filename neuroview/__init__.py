"""neuroview: a desktop workstation to view, segment and correct MRI and CT studies.

``from neuroview import Session`` gives the scripting API (see README); it is imported on first
use, so ``import neuroview`` stays light (no numpy/scipy until needed).
"""

__version__ = "0.1.0"

__all__ = ["Session", "__version__"]


def __getattr__(name: str):
    if name == "Session":
        # importlib (not a static import) keeps the root package out of the layer graph: lower
        # layers may read ``neuroview.__version__`` without depending on the app layer.
        import importlib

        return importlib.import_module("neuroview.app.session").Session
    raise AttributeError(f"module 'neuroview' has no attribute {name!r}")
