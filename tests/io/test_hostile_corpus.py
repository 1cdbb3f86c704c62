"""The hostile corpus (#16): files that lie in their headers. Each one gives ``neuroview info``
and ``neuroview convert`` one clean line naming the file and exit 1 (no traceback, no internal
MemoryError/OverflowError, no output written), under a 4 GiB address-space limit and a time
limit, as a user would run them. The files are small; what they *declare* is huge."""

from __future__ import annotations

import pytest

from tests.io import hostile_corpus
from tests.io.limited_cli import run_limited

WARN_AT_INFO = {"nifti_gz_bomb", "nrrd_gzip_bomb", "nrrd_small_header_big_stream", "mgz_bomb",
                "nrrd_bz2_bomb", "nrrd_bz2_small_header_big_stream"}
"""Truthful headers (a 4 GiB image is a valid file) or lies only the voxels reveal: ``info``
lists them (with a memory warning where they would not fit); loading them is refused."""
MAX_PEAK = 256 << 20
"""What one command on a hostile file may add to the process's resident peak: the files are a few
MB and what any of them may legitimately make a reader hold is well under this; a reader that
inflates what a stream holds (gigabytes) or allocates what a header declares goes far past it."""


@pytest.fixture(scope="module")
def corpus_results(request, tmp_path_factory):
    """{maker name: (file, convert's output path, info's result, convert's result)} for the cases
    collected in this run, all run in ONE limited child (each in a child of its own spent ~2 s
    starting Python and importing the readers, more than most commands take)."""
    makers = [item.callspec.params["make"] for item in request.session.items
              if getattr(item, "originalname", "") == "test_hostile_file_gives_one_clean_line"]
    cases, commands = {}, []
    for make in makers:
        folder = tmp_path_factory.mktemp(make.__name__)
        path, out = make(folder), folder / "out.nii.gz"
        cases[make.__name__] = (path, out)
        commands += [["info", str(path)], ["convert", str(path), str(out)]]
    results = run_limited(commands)
    return {name: (path, out, results[2 * index], results[2 * index + 1])
            for index, (name, (path, out)) in enumerate(cases.items())}


@pytest.mark.parametrize("make", hostile_corpus.MAKERS, ids=lambda m: m.__name__)
def test_hostile_file_gives_one_clean_line(make, corpus_results):
    path, out, info, convert = corpus_results[make.__name__]
    for verb, result in (("info", info), ("convert", convert)):
        if verb == "info" and make.__name__ in WARN_AT_INFO:
            assert result["rc"] == 0, result
            continue
        assert result["rc"] == 1, (verb, result)
        lines = result["stderr"].strip().splitlines()
        assert len(lines) == 1, (verb, result)
        assert lines[0].startswith(f"neuroview: error: {path}: "), (verb, lines)
        assert "internal error" not in lines[0]
        assert result["peak_rss"] < MAX_PEAK, (verb, result["peak_rss"] >> 20, "MiB")
    assert not out.exists()
    if make.__name__ in ("nifti_gz_bomb", "nrrd_gzip_bomb", "mgz_bomb", "nrrd_bz2_bomb"):
        assert "warning: needs 4.0 GB of memory" in info["stdout"]


@pytest.mark.parametrize("kind", ["dicom", "nifti", "nrrd"])
def test_loading_checks_the_declared_size_against_free_memory(kind, tmp_path, monkeypatch):
    """Where the machine has less memory than the header declares, the load is one error naming
    the file before any buffer is allocated (here the machine is made to report 10 kB free)."""
    import shutil

    import numpy as np

    from neuroview.core.errors import LoadError
    from neuroview.io import load

    if kind == "dicom":
        from pydicom.data import get_testdata_file

        path = tmp_path / "ct.dcm"
        shutil.copy(get_testdata_file("CT_small.dcm"), path)  # 128x128 int16: 32 kB
    elif kind == "nifti":
        from neuroview.io.nifti import save_nifti

        path = save_nifti(np.zeros((32, 32, 32), np.int16), np.eye(4), tmp_path / "v.nii.gz")
    else:
        import nrrd

        path = tmp_path / "v.nrrd"
        nrrd.write(str(path), np.zeros((32, 32, 32), np.int16), {"encoding": "gzip"})
    assert load(path).shape == ((128, 128, 1) if kind == "dicom" else (32, 32, 32))
    monkeypatch.setattr("neuroview.core.memory.available_bytes", lambda: 10_000)
    size = "32.0 kB" if kind == "dicom" else "64.0 kB"
    with pytest.raises(LoadError, match=f"needs {size} of memory, only 9.8 kB") as caught:
        load(path)
    assert str(path) in str(caught.value)


@pytest.mark.parametrize("header", [{"encoding": "gzip"}, {"encoding": "gzip", "endian": "big"},
                                    {"encoding": "gzip", "byte skip": 6}])
def test_bounded_gzip_nrrd_reads_what_was_written(tmp_path, header):
    import gzip

    import nrrd
    import numpy as np

    from neuroview.io.nrrd import load_nrrd

    data = np.random.default_rng(1).normal(size=(5, 6, 7)).astype(np.float32)
    path = tmp_path / "v.nrrd"
    if "byte skip" in header:  # six junk bytes before the voxels, inside the compressed stream
        text = ("NRRD0004\ntype: float\ndimension: 3\nsizes: 5 6 7\nencoding: gzip\n"
                "endian: little\nbyte skip: 6\n\n")
        path.write_bytes(text.encode() + gzip.compress(b"junk!!" + data.tobytes(order="F")))
    else:
        nrrd.write(str(path), data, header, index_order="F")
        expected, _ = nrrd.read(str(path), index_order="F")
        np.testing.assert_array_equal(expected, data)
    got = load_nrrd(path).array  # (pynrrd skips compressed bytes; Teem skips inflated ones, as here)
    np.testing.assert_array_equal(got, data)
    assert got.flags.writeable
