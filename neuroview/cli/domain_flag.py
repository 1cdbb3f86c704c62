"""``--allow-domain-mismatch``: the way on after a model's card refuses an image (another body
part, another modality, no head found), one flag of one wording for every command that runs a
model on images (``segment``, ``dataset rank``, ``followup --model``)."""

from __future__ import annotations

FLAG = "--allow-domain-mismatch"


def add_flag(parser, recorded: str) -> None:
    """The flag on ``parser``; ``recorded``: where the command keeps the refusal it overrode."""
    parser.add_argument(FLAG, action="store_true",
                        help="run the model even on an image its card's domain refuses (another "
                             "body part, another modality, no head found): for a wrong "
                             f"BodyPartExamined; {recorded}")


def hint(verb: str = "runs") -> str:
    """The refusal's way on: ``--allow-domain-mismatch runs it anyway``."""
    return f"{FLAG} {verb} it anyway"
