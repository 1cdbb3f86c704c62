"""What a test process made while collecting is out of the cycle collector's sight
(``tests/conftest.py:pytest_collection_finish``): its full collections walked the collection's
objects again and again (0.3-0.6 s each with torch and VTK imported). What a test makes is still
collected."""

from __future__ import annotations

import gc
import sys
import weakref


def test_the_collections_objects_are_frozen_and_a_tests_garbage_is_collected(pytestconfig):
    frozen = getattr(pytestconfig, "frozen_at_collection", 0)
    assert frozen > 20_000, f"{frozen} objects frozen"   # run alone: ~43,000; a whole-suite worker: ~446,000
    if gc.get_freeze_count():   # still frozen: until session 52, tests/core/test_collector.py's
        # collector_off(age_survivors=True) thawed it (gc.unfreeze) for the worker's later tests
        module = sys.modules[__name__]
        assert not any(obj is module for obj in gc.get_objects()), "the collected module is still walked"

    class Node:
        pass

    node = Node()
    node.me = node   # a reference cycle made in the test
    gone = weakref.ref(node)
    del node
    gc.collect()
    assert gone() is None, "a cycle made by a test was not collected"
