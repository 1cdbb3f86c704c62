"""``--trust-code``: the command-line consent to run code stored in a model file (TorchScript).

The consent is remembered for that file's content (see :mod:`neuroview.ai.consent`), so later
runs, the registry's copy and the window do not ask again; a changed file needs it again.
"""

from __future__ import annotations

import sys

HELP = ("consent to run the code inside a TorchScript model file (it can do anything your account "
        "can); remembered for this file's content")


def add_flag(parser) -> None:
    parser.add_argument("--trust-code", action="store_true", help=HELP)


def apply(args, model: str) -> None:
    """Record consent for ``model``'s code file when ``--trust-code`` was given."""
    if not getattr(args, "trust_code", False):
        return
    from ..ai.code_file import code_file_of
    from ..ai.consent import trust

    file = code_file_of(model)
    if file is not None:
        trust(file)
        print(f"neuroview: trusting the code in {file} (sha256 recorded)", file=sys.stderr)
