"""Stopping a window's background jobs at a test's end, or before it reads what they left: a helper
module (``tests.jobs_stopped``) that the window tests of tests/ui and tests/pacs share."""

from __future__ import annotations

import pytest


def stop_jobs(runner, msecs: int = 10000) -> None:
    """Cancel the jobs of ``runner`` (a ``neuroview.ui.workers.JobRunner``) and wait for them to
    end; fail the test, naming the jobs, if one still runs after ``msecs``. ``runner.wait``'s
    answer was dropped: a job that never ended let the test go on against half-done state."""
    if not runner.wait(msecs):
        labels = [job.label or "(no label)" for job in runner.jobs]
        pytest.fail(f"background jobs still running {msecs / 1000:g} s after they were cancelled: "
                    f"{labels}")
