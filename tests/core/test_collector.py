"""core.collector.collector_off: what the header scan and torch's first import rely on."""

import gc

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


def test_age_survivors_moves_the_block_s_objects_to_the_oldest_generation(collector_on):
    with collector_off(age_survivors=True):
        made = [[] for _ in range(1000)]
    assert gc.get_freeze_count() == 0 and gc.isenabled()   # nothing stays frozen
    oldest = {id(o) for o in gc.get_objects(generation=2)}
    assert id(made) in oldest and all(id(m) in oldest for m in made)
