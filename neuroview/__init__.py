"""neuroview: a desktop workstation to view, segment and correct MRI and CT studies."""

__version__ = "0.1.0"

__all__ = ["__version__"]
