"""Any combination of test folders collects in one pytest run (``pytest tests/ui tests/pacs``).

The test folders are not packages: pytest imports each test module, and each folder's helpers,
by its bare file name (the folder put on ``sys.path``), so two files of one name in two folders
are one module to Python. ``tests/ui`` with ``tests/pacs`` or ``tests/render`` failed at
collection (``from conftest import activate`` found the conftest collected last), and the whole
suite in one run failed on ``test_followup_progress.py`` of ``tests/app`` and ``tests/ui``
("import file mismatch"). Helpers shared by tests live in a helper module, not a conftest."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

TESTS = Path(__file__).resolve().parent
BARE_CONFTEST = re.compile(r"^\s*(from\s+conftest\s+import|import\s+conftest\b)", re.MULTILINE)
# a conftest by its package path, the top one's or a test folder's (in code or in a script a test runs)
PACKAGE_CONFTEST = re.compile(r"\b(from\s+tests(\.\w+)*\.conftest\s+import"
                              r"|import\s+tests(\.\w+)*\.conftest\b)")
# a test module imported by another, by its bare name or its package path
TEST_MODULE = re.compile(r"^\s*(from\s+(tests(\.\w+)*\.)?test_\w+\s+import\b"
                         r"|import\s+(tests(\.\w+)*\.)?test_\w+\b)", re.MULTILINE)


def _modules() -> list[Path]:
    return sorted(path for path in TESTS.rglob("*.py") if "__pycache__" not in path.parts)


def test_no_two_test_folders_hold_a_module_of_one_name():
    where = defaultdict(list)
    for path in _modules():
        if path.name != "conftest.py":   # pytest loads each folder's conftest itself
            where[path.name].append(str(path.relative_to(TESTS)))
    shared = {name: paths for name, paths in where.items() if len(paths) > 1}
    assert not shared, f"modules of one name in two folders (rename one): {shared}"


def test_no_test_imports_a_conftest_by_its_bare_name():
    importing = [str(path.relative_to(TESTS)) for path in _modules()
                 if BARE_CONFTEST.search(path.read_text(encoding="utf-8"))]
    assert not importing, f"'from conftest import' finds whichever conftest came last: {importing}"


def test_no_test_imports_a_conftest_by_its_package_path():
    """``from tests.ai.conftest import make_card`` ran that conftest a second time (as
    ``tests.ai.conftest`` beside the ``conftest`` pytest loaded), as ``tests.dataset.conftest``'s
    ``lesion_map`` did, and ``tests.conftest``'s ``REPO`` in ten modules: shared helpers live in a
    helper module (``tests/ai/model_cards.py``, ``tests/dataset/label_maps.py``,
    ``tests/checkout.py``)."""
    importing = [str(path.relative_to(TESTS)) for path in _modules()
                 if path.name != "test_collect_together.py"
                 and PACKAGE_CONFTEST.search(path.read_text(encoding="utf-8"))]
    assert not importing, f"a conftest imported again: {importing}"


def test_no_test_module_imports_another():
    """Helpers two test modules share live in a helper module beside them
    (``tests/ui/viewer_pixels.py``, ``tests/app/followup_tables.py``), not in one of the test
    modules: 97 imports reached into another test module (``from test_viewer import grab``) until
    session 30, so running one file imported the other's tests' module, and moving a test broke
    its importers."""
    importing = [str(path.relative_to(TESTS)) for path in _modules()
                 if path.name != "test_collect_together.py"
                 and TEST_MODULE.search(path.read_text(encoding="utf-8"))]
    assert not importing, f"test modules imported by another: {importing}"
