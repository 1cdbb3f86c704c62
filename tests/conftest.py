"""Shared fixtures: real anatomy (nilearn's MNI152 template), the CLI, an isolated user folder."""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

import pytest

from tests.checkout import REPO, run_cli
from tests.painters_ended import pytest_runtest_makereport  # noqa: F401 - a hook pytest takes from here

# A suite started as a background job of a shell without job control (`(pytest ... &)`, nohup
# under a script) inherits SIGINT ignored, and so does every command it starts: the tests that
# press Ctrl+C on a command (SIGINT: exit 130, "neuroview: interrupted") saw it ignored and the
# command finish. A command run in a terminal's foreground takes Ctrl+C; so do the tests' commands.
if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)

# The window tests run on Qt's offscreen platform unless DISPLAY is set when pytest starts (then on
# xcb): decided here, in the conftest pytest loads before its plugins' configure step, not in
# tests/ui/conftest.py, which a whole-suite run loads only while collecting, after pytest-xvfb
# has set DISPLAY to its own Xvfb, so the same window test ran on xcb there and offscreen when
# tests/ui was named on the command line (tests/ui/conftest.py says how to run them on xcb).
if not os.environ.get("DISPLAY"):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# before any conftest imports torch (tests/ai/conftest.py does, ahead of neuroview.ai, which sets
# it for the product): idle OpenMP threads sleep instead of spinning. Without it a tests/ai module
# run on its own with two torch threads spent 8x the CPU (40 lesion-network batches 23.5 s against
# 2.9 s; session 31), and single-process timings of tests were inflated
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
if os.environ.get("PYTEST_XDIST_WORKER"):
    # `make test` runs three workers on two cores: one compute thread each, in the workers and in the
    # processes they start (torch's default of one thread per core oversubscribes the cores, and
    # waiting OpenMP threads then made a training step 10x slower on this machine)
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    # numpy's OpenBLAS reads it (or OMP_NUM_THREADS) once, when numpy is imported: numpy is imported
    # after this line, here only in the rng fixture. Until session 40 this conftest imported numpy
    # at its top, and every worker ran two OpenBLAS threads (threadpoolctl); since session 39's
    # matmul change few calls are big enough to thread: four BLAS-using modules took the same CPU
    # time either way (17.3 s, median of 5 at load 7-10), with a fifth fewer voluntary switches
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    # SimpleITK's registration reads its own variable, not OpenMP's: with its default of one
    # thread per core a follow-up module's registrations took 14 % more CPU time (19.5 s against
    # 16.7 s for four known-transform registrations, one process on the idle-ish machine)
    os.environ.setdefault("ITK_GLOBAL_DEFAULT_NUMBER_OF_THREADS", "1")


def _big_buffers_from_the_heap() -> None:
    """In the test processes (not in the commands they start, which run as a user's do): glibc
    serves every buffer from its heap, none by a mapping of its own. ``neuroview.ai`` lets it keep
    freed buffers up to 32 MiB (``_reuse_freed_memory``; glibc allows no higher mmap threshold);
    larger ones, a 1 mm head's arrays (56 MB) and deepbet's 256^3 activations, were still mapped
    anew and unmapped at each use, the kernel zeroing fresh pages every time: the system time
    of the suite (192 of 1260 s of CPU in session 40's CI). M_MMAP_MAX 0 reuses them; glibc still
    maps a block when the heap cannot grow, and ``neuroview.ai``'s trim threshold still gives a
    heap top of over 256 MiB back. Segmenting three of test_ai_bundled_heads's heads (wm_t1,
    wm_t2, t1) in one process: 24.5 s of CPU against 26.5-28.3, minor faults 0.77 against 1.7
    million, the same labels and brain masks, peak resident 1.9-2.0 against 1.8 GB."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    try:
        mallopt = ctypes.CDLL("libc.so.6").mallopt
    except (OSError, AttributeError):   # not glibc
        return
    mallopt.argtypes, mallopt.restype = [ctypes.c_int, ctypes.c_int], ctypes.c_int
    mallopt(-4, 0)   # M_MMAP_MAX


_big_buffers_from_the_heap()


@pytest.fixture(scope="session")
def _user_homes(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("neuroview-homes")


@pytest.fixture(autouse=True)
def _isolated_user_data(_user_homes):
    """Keep model registries, recent files and settings of tests out of the real home folder: a
    new empty folder for each test, in a folder of their own. ``tmp_path_factory.mktemp`` lists the
    worker's base folder to number each new one, and that folder grows by a folder or two a test:
    a worker's 1700 tests (a third of `make test`) spent 2.9-3.3 s of processor time making their
    homes and ``tmp_path`` folders, 0.46 s so (a simulated worker, 7 Dec 2026).

    Set with a patcher of its own, not the test's ``monkeypatch``: a test calling
    ``monkeypatch.undo()`` to take its own patches back (nine do) undid this one too, and the rest
    of that test wrote the user's real folder (recent labels, last save folder and a dataset's
    private links in ~/.local/share/neuroview, found after session 52's fresh-clone runs)."""
    import tempfile

    with pytest.MonkeyPatch.context() as patcher:
        patcher.setenv("NEUROVIEW_HOME", tempfile.mkdtemp(prefix="neuroview-home", dir=_user_homes))
        yield


@pytest.fixture(autouse=True)
def _one_torch_thread_in_a_worker():
    """A test that leaves torch on more threads (one that sets two on purpose, an in-process
    ``train`` that sets its own count) would leave the worker's later tests oversubscribing the
    cores beside the other workers: put back to one after it (session 46's CI, three workers:
    tests/test_worker_threads.py found two, after tests/ai/test_forked_copy_threads.py)."""
    yield
    torch = sys.modules.get("torch") if os.environ.get("PYTEST_XDIST_WORKER") else None
    if torch is None or getattr(torch.__spec__, "_initializing", False):
        return   # none, or still being imported by a thread the test started (a model's preload)
    if torch.get_num_threads() != 1:
        torch.set_num_threads(1)


@pytest.fixture(scope="session")
def registered_in_this_run(tmp_path_factory):
    """The follow-up registrations :func:`registrations_reused` made in this run: files in the
    run's temporary folder, which pytest-xdist's workers share (each worker's own folder lies in
    it), so that a pair is registered once, not once in each worker (the 6 mm pair of
    ``followup_studies.write_case(scale=2)``, opened by five modules, was registered eight times
    in a run of the follow-up modules). Never a folder another run wrote: a pytest run without
    workers keeps them in its own folder."""
    from tests.registration_reuse import SharedRegistrations

    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent
    return SharedRegistrations(root / "registrations")


@pytest.fixture(scope="module")
def registrations_reused(registered_in_this_run):
    """For a module's tests whose claim is not the registration, that open the same follow-up
    again and again (``pytestmark = pytest.mark.usefixtures("registrations_reused")``): a pair
    registered once in this run is not registered again
    (:func:`tests.registration_reuse.registrations_reused`). Yields the calls answered so."""
    from tests.registration_reuse import registrations_reused as reusing

    with reusing(registered_in_this_run) as answered:
        yield answered


@pytest.fixture(scope="session")
def mni_path() -> Path:
    """The bundled MNI152 T1 template (197x233x189, 1 mm, RAS)."""
    return REPO / "resources" / "demo" / "mni152_t1_1mm.nii.gz"


@pytest.fixture(scope="session")
def mni_volume(mni_path):
    from neuroview.io.nifti import load_nifti

    return load_nifti(mni_path)


@pytest.fixture(scope="session", autouse=True)
def _spare_render_window_released():
    """The render window a closed 3D scene left for the next (``render.render_windows``) holds an
    X connection: released at the session's end, while pytest-xvfb's Xvfb still runs (a render
    window freed after the X server went away once ended runs with an X connection error, see
    tests/ui/test_view3d_release.py; its own release at exit showed none in a trial)."""
    yield
    import sys

    windows = sys.modules.get("neuroview.render.render_windows")
    if windows is not None:
        windows.release_spare_window()


@pytest.fixture
def cli(request):
    """``python -m neuroview ARGS`` as a user runs it (:func:`tests.checkout.run_cli`), or, in a
    module that sets ``CLI_FORKED`` (saying why), the command line's main in a forked copy of the
    test's process (:func:`tests.checkout.run_main_forked`): for claims about what a command says
    and writes, not about a process's start or its environment, with commands that run no network
    (a copy that runs one after this process's OpenMP pool started can hang). A fresh process cost
    0.3-0.4 s of CPU a command, mostly imports."""
    if getattr(request.module, "CLI_FORKED", None):
        from tests.checkout import run_main_forked

        return run_main_forked
    return run_cli


@pytest.fixture
def rng():
    import numpy as np

    return np.random.default_rng(12345)


@pytest.fixture(autouse=True)
def _close_windows_without_the_quit_question(request, monkeypatch):
    """A window left with unsaved edits would block the teardown (or the next open) on the Save /
    Discard / Cancel question: outside the tests that answer it on purpose, closing discards and
    opening another image keeps the edits in the workspace."""
    if (request.node.path.parent.name not in ("ui", "pacs")
            or request.node.path.name in ("test_quit.py", "test_open_unsaved.py",
                                          "test_worklist_previous_and_marks.py",
                                          "test_worklist_status_discard.py",
                                          "test_worklist_mark_done_unsaved.py",
                                          "test_esc_leaves_nothing_unsaved.py",
                                          "test_save_folder_worklists.py")):
        return
    from neuroview.ui.actions_edit import EditActions

    monkeypatch.setattr(EditActions, "confirm_close", lambda self: True)
    monkeypatch.setattr(EditActions, "confirm_replace", lambda self: True)
    monkeypatch.setattr(EditActions, "confirm_mark_done", lambda self: True)


SLOWEST_MODULES = (
    "tests/ai/test_ai_bundled_heads.py", "tests/app/test_followup_bvc_resolution.py",
    "tests/ai/test_ai_bundled_model.py", "tests/app/test_followup_brain.py",
    "tests/app/test_prompting_refine.py", "tests/ai/test_interactive_resume.py", "tests/app/test_followup.py",
    "tests/e2e/test_correction_to_model.py", "tests/ui/test_hidpi.py", "tests/ui/test_followup_window.py",
    "tests/ai/test_ai_brain.py", "tests/ai/test_ai_interactive_train.py", "tests/cli/test_sigterm_stops.py",
    "tests/cli/test_segment_batch_cases.py", "tests/app/test_followup_bvc.py",
    "tests/app/test_followup_track.py", "tests/ui/test_followup_options.py",
    "tests/ai/test_synthetic_beats_base.py", "tests/ai/test_ai_nnunet.py",
    "tests/app/test_followup_deepbet_voxels.py", "tests/ai/test_interactive_beats_base.py",
    "tests/ui/test_editor_ai.py", "tests/app/test_followup_cli.py", "tests/app/test_settings_killed.py",
    "tests/app/test_followup_fov.py", "tests/ai/test_ai_uncertainty.py",
    "tests/ai/test_interactive_resume_base.py", "tests/ai/test_nninteractive_hostile_folders.py",
    "tests/dataset/test_kill.py", "tests/ai/test_openmp_wait.py", "tests/ai/test_ai_nninteractive.py",
    "tests/ai/test_heads_fields.py", "tests/io/dicom/test_dicom_geometry.py",
    "tests/pacs/test_followup_pacs.py", "tests/io/dicom/test_dicom_real_files.py",
    "tests/ai/test_ai_train_dataset.py", "tests/app/test_readme_prompting.py",
    "tests/ai/test_ai_preprocess.py", "tests/app/test_model_result_worker.py",
    "tests/app/test_followup_report_criteria.py", "tests/app/test_readme_examples.py",
    "tests/io/dicom/test_dicom_bvals.py", "tests/app/test_lesion_location.py",
    "tests/ai/test_ct_guess.py", "tests/ui/test_train_gui.py", "tests/ui/test_pointer_voxel.py",
    "tests/ui/test_viewer.py", "tests/ui/test_open_unsaved.py", "tests/ui/test_ai_click.py",
)
"""The modules that took longest, slowest first: `make test` hands whole modules to its
workers in this order (`--dist loadfile --no-loadscope-reorder`), so a module's shared fixtures
(the bundled model run on twelve heads) are made on one worker only, and only short modules are
left for the end, when one worker may wait for the other. (`--dist load` hands out consecutive
tests: the three slowest modules, first alphabetically, all went to the first worker in its
first batch.) The tests/app modules are in the order of session 42's run of that folder (one
process, `--durations=0` summed per module, load 12-18; it added test_settings_killed.py and
test_followup_report_criteria.py), the tests/ai ones in that of session 40's (load 7-9, `make
test`'s options), which found modules left off the list among the slowest
(`test_interactive_resume.py`, third of tests/ai, started after every listed module) and two
listed ones among the short
(`test_ai_security.py` 16 s, `test_ai_operating_point.py` 17 s at that load, where
`test_ai_bundled_model.py` took 240 s: off the list now); the other folders'
modules keep the places 3 and 5 Dec 2026's quiet runs gave them (b061331; the window modules
among the others by their own time, `tests/ui/test_hidpi.py` about 60 s), but for tests/cli's
two slowest, placed by a run of that folder at load 3.5-6 (52 and 49 s; the next 24 s), and for
`test_dicom_bvals.py` and `test_lesion_location.py` (grown and added in session 47), placed by the
processor seconds of each module run alone (load 5-6, means of 2: 10.6 and 8.8 s; `test_ct_guess.py` 8.6 s,
`test_ai_click.py` 10.8 s)."""


def pytest_collection(session):
    """Before a worker collects: :func:`tests.rewrite_ahead.rewrite_from_the_end`."""
    from tests.rewrite_ahead import rewrite_from_the_end

    rewrite_from_the_end(session.config)


def pytest_collection_modifyitems(config, items):
    rank = {module: index for index, module in enumerate(SLOWEST_MODULES)}
    items.sort(key=lambda item: rank.get(item.nodeid.split("::", 1)[0], len(rank)))  # stable


def pytest_collection_finish(session):
    """What the collection made (the imports of numpy, Qt, torch, VTK and neuroview, every test
    module and item: 445,000 objects in a worker that collected the whole suite) goes out of the
    cycle collector's sight (``gc.freeze``, after one collection of the garbage made so far), where
    each of its full collections walked it again: 0.3-0.6 s each, every few dozen window tests.
    Nothing a test makes is frozen, and a frozen object is still freed when its last reference
    goes; only a frozen reference cycle is kept (``tests/test_collection_frozen.py``; README
    *Test suite*, session 51)."""
    import gc

    gc.collect()
    gc.freeze()
    # how many, for tests/test_collection_frozen.py (a test of a worker may unfreeze them later:
    # session 51's second landing CI found 0 frozen when the check ran, after another test)
    session.config.frozen_at_collection = gc.get_freeze_count()


def pytest_sessionfinish(session, exitstatus):
    """A model load a closed window stopped waiting for (``core.jobs.abandonable``: the AI click's,
    at a window test's end) finishes before the interpreter ends: ended under a half-done import of
    torch, the interpreter could abort (``ui.launch.leave`` does the same for the application)."""
    from neuroview.core.jobs import wait_abandoned

    wait_abandoned(120)
