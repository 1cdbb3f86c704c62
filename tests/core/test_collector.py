"""core.collector.collector_off: what the header scan and torch's first import rely on."""

import gc
import subprocess
import sys
import textwrap

import pytest

from neuroview.core.collector import collector_off


@pytest.fixture
def collector_on():
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


def test_off_within_the_block_on_after_also_after_an_error(collector_on):
    with pytest.raises(RuntimeError), collector_off():
        assert not gc.isenabled()
        raise RuntimeError("the scan failed")
    assert gc.isenabled()


def test_left_alone_when_not_asked_or_already_off(collector_on):
    with collector_off(when=False):
        assert gc.isenabled()
    gc.disable()
    with collector_off():
        assert not gc.isenabled()
    assert not gc.isenabled()   # who turned it off turns it on


def test_age_survivors_moves_the_block_s_objects_to_the_oldest_generation():
    # in a process of its own: a test worker has frozen its collection (tests/conftest.py)
    check = textwrap.dedent("""
        import gc
        from neuroview.core.collector import collector_off
        assert gc.get_freeze_count() == 0 and gc.isenabled()
        with collector_off(age_survivors=True):
            made = [[] for _ in range(1000)]
        assert gc.get_freeze_count() == 0 and gc.isenabled()   # nothing stays frozen
        oldest = {id(o) for o in gc.get_objects(generation=2)}
        assert id(made) in oldest and all(id(m) in oldest for m in made)
    """)
    done = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_age_survivors_leaves_another_s_frozen_objects_frozen(collector_on):
    frozen_here = gc.get_freeze_count() == 0   # run alone, without tests/conftest.py's freeze
    if frozen_here:
        gc.freeze()
    try:
        module = sys.modules[__name__]   # made before this test: frozen
        assert not any(obj is module for obj in gc.get_objects())
        with collector_off(age_survivors=True):
            made = [[] for _ in range(1000)]
        assert gc.isenabled()
        assert not any(obj is module for obj in gc.get_objects()), "another's freeze was undone"
        assert any(obj is made for obj in gc.get_objects()), "the block's objects were frozen"
    finally:
        if frozen_here:
            gc.unfreeze()
