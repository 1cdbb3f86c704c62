"""pydicom imported without its codecs (the command line's way) ends, once the codecs are
loaded, in the same state as a plain ``import pydicom``: same plugins, same order."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.checkout import REPO

STATE = r"""
import json, sys
{setup}
from pydicom.pixels.decoders.base import _PIXEL_DATA_DECODERS
from pydicom.pixels.encoders.base import _PIXEL_DATA_ENCODERS
state = {{"decoders": {{str(u): list(d.available_plugins) for u, (d, _) in _PIXEL_DATA_DECODERS.items()}},
          "encoders": {{str(u): list(e.available_plugins) for u, (e, _) in _PIXEL_DATA_ENCODERS.items()}},
          "flags": {{f"{{name}}.{{key}}": value for name, module in sorted(sys.modules.items())
                     if name.startswith("pydicom") and module is not None
                     for key, value in vars(module).items()
                     if key.startswith("HAVE_") and isinstance(value, bool)}}}}
print(json.dumps(state))
"""

DEFERRED = """
from neuroview.io.dicom.codecs import CODEC_PACKAGES, ensure_codecs, import_pydicom_without_codecs
import_pydicom_without_codecs()
before = [name for name in CODEC_PACKAGES if name in sys.modules]
assert not before, before  # nothing of the codecs loaded at import
ensure_codecs()
"""


def _state(setup: str) -> dict:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    proc = subprocess.run([sys.executable, "-c", STATE.format(setup=setup)], capture_output=True,
                          text=True, timeout=120, env=env)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout)


def test_codecs_loaded_later_register_as_a_plain_import_does():
    plain = _state("import pydicom")
    deferred = _state(DEFERRED)
    assert plain["decoders"]["1.2.840.10008.1.2.4.90"]  # a JPEG 2000 decoder is installed
    assert plain["encoders"]["1.2.840.10008.1.2.5"]
    assert deferred["decoders"] == plain["decoders"]  # same plugins in pydicom's order
    assert deferred["encoders"] == plain["encoders"]
    assert deferred["flags"] == plain["flags"]  # HAVE_GDCM, HAVE_PIL... in every module
    assert any(plain["flags"].values())


def test_unknown_plugin_registry_falls_back_to_a_plain_import():
    """A pydicom whose registry ensure_codecs does not know is imported again the plain way."""
    fallback = _state("""
import neuroview.io.dicom.codecs as codecs
codecs._restorable = lambda: False
codecs.import_pydicom_without_codecs()
assert "gdcm" in sys.modules and not codecs._deferred
""")
    assert fallback == _state("import pydicom")


def test_without_codecs_compressed_plugins_wait_for_ensure():
    waiting = _state("""
from neuroview.io.dicom.codecs import import_pydicom_without_codecs
import_pydicom_without_codecs()
""")
    assert waiting["decoders"]["1.2.840.10008.1.2.4.90"] == []  # JPEG 2000: none yet
    assert waiting["decoders"]["1.2.840.10008.1.2.5"] == ["pydicom"]  # RLE: pydicom's own


THREADS = """
import os, sys
sys.argv = [{program!r}, {verb!r}]
import neuroview.cli.main  # imports numpy, as the neuroview command does
print(os.environ.get("OPENBLAS_NUM_THREADS"), len(os.listdir("/proc/self/task")))
"""


def _blas_threads(program: str, verb: str) -> tuple[str, int]:
    env = {k: v for k, v in os.environ.items() if not k.endswith("_NUM_THREADS")}
    env["PYTHONPATH"] = str(REPO)
    proc = subprocess.run([sys.executable, "-c", THREADS.format(program=program, verb=verb)],
                          capture_output=True, text=True, timeout=120, env=env)
    assert proc.returncode == 0, proc.stderr[-2000:]
    setting, threads = proc.stdout.split()
    return setting, int(threads)


def test_convert_and_info_start_no_blas_threads():
    """numpy's OpenBLAS starts a spinning thread per core at import (CPU spent by every small
    ``neuroview convert``); convert and info run with one, the other verbs as before."""
    assert _blas_threads("/usr/bin/neuroview", "convert") == ("1", 1)
    assert _blas_threads(str(REPO / "neuroview" / "__main__.py"), "info") == ("1", 1)
    setting, _ = _blas_threads("/usr/bin/neuroview", "segment")
    assert setting == "None"
    if (os.cpu_count() or 1) > 1:
        assert _blas_threads("/usr/bin/neuroview", "segment")[1] > 1
