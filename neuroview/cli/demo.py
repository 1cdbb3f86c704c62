"""``neuroview demo``: open the bundled demo case.

By default the lesion case: real anatomy (the MNI152 T1 template) with synthetic lesions painted
in by ``packaging/make_demo_lesions.py``, its ground truth beside it; run *AI > Segment* on it.
``--template`` opens the plain template (no lesions).
"""

from __future__ import annotations

from pathlib import Path

from ..core.errors import LoadError
from ..paths import demo_image, resources_dir

LESION_CASE = "mni152_t1_lesions.nii.gz"
LESION_TRUTH = "mni152_t1_lesions_truth.nii.gz"


def lesion_case() -> Path:
    """The MNI152 T1 template with synthetic lesions (see resources/demo/README.md)."""
    return resources_dir() / "demo" / LESION_CASE


def lesion_truth() -> Path:
    """The ground-truth mask of :func:`lesion_case` (uint8, 1 = synthetic lesion)."""
    return resources_dir() / "demo" / LESION_TRUTH


def register(parser) -> None:
    parser.add_argument("--info", action="store_true",
                        help="print the demo case's info instead of opening the window")
    parser.add_argument("--template", action="store_true",
                        help="open the plain MNI152 T1 template (no lesions) instead of the lesion case")


def run(args) -> int:
    image = demo_image() if args.template else lesion_case()
    if not image.exists():
        raise LoadError("bundled demo case is missing; reinstall neuroview", path=image)
    if args.info:
        import argparse

        from . import info

        parser = argparse.ArgumentParser(prog="neuroview info")
        info.register(parser)  # info's own defaults (a hand-made namespace missed --verbose)
        return info.run(parser.parse_args([str(image)]))
    from .main import open_window

    return open_window([str(image)], command="neuroview demo")
