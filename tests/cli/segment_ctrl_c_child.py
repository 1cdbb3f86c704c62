"""``neuroview segment`` as a user runs it (``sys.argv``), with one of the brain extraction's
passes (``_fine_pass`` or ``_box_pass``, named last but one) made one long C++ call that outlasts
any test (a 6000^2 matrix product: TorchScript's forward is one such call): it says so on stderr
as it starts (``fine pass running``, ``box pass running``), and leaves ``PASS_ENDED`` once it
returns (the process then waited for it): the path given last."""

from __future__ import annotations

import sys
from pathlib import Path

import torch

from neuroview.ai import brain
from neuroview.cli.main import main

ENDED: list = []


def long_pass(*args, **kwargs):
    a = torch.ones(6000, 6000)
    try:
        print(f"{ENDED[1]} pass running", file=sys.stderr, flush=True)
        for _ in range(50):
            a = torch.mm(a, a) * 1e-4
    finally:
        ENDED[0].write_text("the pass ended")


if __name__ == "__main__":
    ENDED.append(Path(sys.argv.pop()))
    ENDED.append(sys.argv.pop())
    setattr(brain, f"_{ENDED[1]}_pass", long_pass)
    sys.exit(main())
