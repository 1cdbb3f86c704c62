"""Accepts two AI-click objects in a workspace, prints after each, then waits to be killed.

Usage: python prompt_worker.py IMAGE WORKSPACE
"""

import sys
import time


def run_prompts(session):
    """The scripted interaction (also replayed in-process by the test as the reference)."""
    from neuroview.ai.interactive.baseline import GrowPromptModel

    model = GrowPromptModel()
    centre = session.volume.center_ras
    session.prompt("lesion", point=centre, model=model)
    session.prompt("lesion", scribble=[centre + [-2, 0, 0], centre + [2, 0, 0]], model=model)
    yield session.accept_preview()
    session.prompt("lesion", point=centre + [20, 0, 0], include=True, model=model)
    session.prompt("lesion", point=centre + [26, 0, 0], include=False, model=model)
    yield session.accept_preview()


def main() -> None:
    from neuroview import Session

    session = Session.open(sys.argv[1], workspace=sys.argv[2])
    session.segments.add("lesion")
    for n, _ in enumerate(run_prompts(session)):
        print(f"accepted {n}", flush=True)
    time.sleep(60)


if __name__ == "__main__":
    main()
