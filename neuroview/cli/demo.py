"""``neuroview demo``: open the bundled demo case (real anatomy: the MNI152 T1 template)."""

from __future__ import annotations

from ..core.errors import LoadError
from ..paths import demo_image


def register(parser) -> None:
    parser.add_argument("--info", action="store_true",
                        help="print the demo case's info instead of opening the window")


def run(args) -> int:
    image = demo_image()
    if not image.exists():
        raise LoadError("bundled demo case is missing; reinstall neuroview", path=image)
    if args.info:
        import argparse

        from . import info

        parser = argparse.ArgumentParser(prog="neuroview info")
        info.register(parser)  # info's own defaults (a hand-made namespace missed --verbose)
        return info.run(parser.parse_args([str(image)]))
    from .main import _gui

    return _gui([str(image)], command="neuroview demo")
