"""``tests.checkout.run_main_forked`` says on its stderr what a fresh ``neuroview`` process says on
the user's terminal: the log lines and warnings a command makes (the copy of the test process
inherited pytest's log handlers and recording of warnings, and its stderr showed neither)."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.checkout import FRESH_WARNING_FILTERS, REPO, run_cli, run_main_forked

PROBE = '''\
import logging
import warnings

import neuroview.cli.main as cli_main

_run = cli_main._run


def noisy_run(argv, *rest):
    logging.getLogger("neuroview.probe").warning("a log line at warning, %s", "said")
    logging.getLogger("neuroview.probe").info("a log line at info, never said")
    for _ in range(2):   # the same place twice: said once
        warnings.warn("a warning from the command", UserWarning)
    warnings.warn("a deprecation, not said outside __main__", DeprecationWarning)
    from pydicom import config, valuerep   # pydicom's own warning, as the command rewrites it

    valuerep.validate_value("DA", "20261399", config.WARN)
    return _run(argv)


def install():
    cli_main._run = noisy_run
'''


def test_a_forked_command_says_its_log_lines_and_warnings_as_a_fresh_process(
        tmp_path, monkeypatch):
    (tmp_path / "nv_probe.py").write_text(PROBE)
    (tmp_path / "sitecustomize.py").write_text("import nv_probe\nnv_probe.install()\n")
    path = f"{tmp_path}{os.pathsep}{REPO}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"
    fresh = run_cli("info", tmp_path / "missing.nii", env={"PYTHONPATH": path})

    import neuroview.cli.main as cli_main

    monkeypatch.syspath_prepend(str(tmp_path))
    import nv_probe

    monkeypatch.setattr(cli_main, "_run", nv_probe.noisy_run)
    forked = run_main_forked("info", tmp_path / "missing.nii")

    said = fresh.stderr.splitlines()
    assert "neuroview: a log line at warning, said" in said   # cli.log_lines (session 44)
    assert said.count("  warnings.warn(\"a warning from the command\", UserWarning)") == 1
    assert any(line.endswith("nv_probe.py:13: UserWarning: a warning from the command")
               for line in said)
    assert "neuroview: DICOM data: Invalid value for VR DA (value not shown)" in said
    assert not any("never said" in line or "deprecation" in line or "1399" in line for line in said)
    assert said[-1].startswith("neuroview: error:") and "missing.nii" in said[-1]
    assert (forked.returncode, forked.stdout, forked.stderr) == (
        fresh.returncode, fresh.stdout, fresh.stderr)


def test_the_fresh_warning_filters_are_a_fresh_interpreters():
    environ = {name: value for name, value in os.environ.items() if name != "PYTHONWARNINGS"}
    fresh = subprocess.run([sys.executable, "-c", "import warnings; print(warnings.filters)"],
                           capture_output=True, text=True, env=environ, check=True)
    assert fresh.stdout.strip() == str(list(FRESH_WARNING_FILTERS))
