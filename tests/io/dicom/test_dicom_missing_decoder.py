"""A compressed series where no decoder for its transfer syntax is installed: one line naming
the file, the syntax and what pip installs to decode it (pydicom's plugins made unavailable
as pydicom registers them when their packages are missing)."""

from __future__ import annotations

import importlib

import pydicom
import pytest
from pydicom.uid import JPEG2000Lossless
from series_maker import SeriesSpec, write_series

from neuroview.core.errors import DicomError
from neuroview.io import load
from neuroview.io.dicom.codecs import ensure_codecs


def test_a_jpeg_2000_series_without_its_decoders_names_what_to_install(tmp_path, mni_volume,
                                                                       monkeypatch):
    """The hint named 'pylibjpeg-openjpeg, pylibjpeg-libjpeg, pyjpegls or python-gdcm' for any
    syntax, three of which decode no JPEG 2000; it names pydicom's JPEG 2000 plugins' needs."""
    from pydicom.pixels import get_decoder

    series = write_series(tmp_path / "j2k", mni_volume, SeriesSpec(rows=32, cols=32, n_slices=2))
    for path in series.files:
        ds = pydicom.dcmread(path)
        ds.compress(JPEG2000Lossless)
        ds.save_as(path)
    ensure_codecs()
    decoder = get_decoder(JPEG2000Lossless)
    assert set(decoder.available_plugins) == {"gdcm", "pillow", "pylibjpeg"}
    missing = {name: importlib.import_module(f"pydicom.pixels.decoders.{name}")
               .DECODER_DEPENDENCIES[JPEG2000Lossless] for name in decoder.available_plugins}
    monkeypatch.setattr(decoder, "_available", {})
    monkeypatch.setattr(decoder, "_unavailable", missing)
    with pytest.raises(DicomError) as raised:
        load(tmp_path / "j2k")
    assert str(raised.value).endswith(
        ": no decoder for JPEG 2000 Image Compression (Lossless Only) (no decoding plugin is "
        "installed for it) (install one of: python-gdcm; pillow; pylibjpeg and "
        "pylibjpeg-openjpeg)")
    assert str(raised.value).startswith(str(series.folder))
