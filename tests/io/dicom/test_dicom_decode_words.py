"""Pixel data that cannot be decoded, said in neuroview's words, one line naming the file: cut
short, a damaged stream, the wrong transfer syntax, a NIfTI's vox_offset beyond its file or in
its header. The decoders' own texts (``pylibjpeg: Error decoding the J2K data: failed to decode
image; pillow: broken data stream ...``, ``pydicom: The amount of decoded RLE segment data
doesn't match the expected amount (1088 vs. 4096 bytes)``, ``Found unexpected tag (0389,03FB)
instead of (FFFE,E000) ...``, zlib's ``Error -5 while decompressing data``, nibabel's ``vox offset
-352 too low for single file nifti1``) were the reason until session 38; they are in the log."""

from __future__ import annotations

import logging

import pytest
from hostile_pixels import HOSTILE, make_hostile

from neuroview.core.errors import LoadError
from neuroview.io import load
from neuroview.io.dicom.decode_words import decode_words, kind_of

LIBRARY_WORDS = ("pylibjpeg", "pillow", "gdcm", "Error -", "FFFE", "libjpeg", "too low for",
                 "decoded segment", "Error decoding")


@pytest.mark.parametrize("name", HOSTILE)
def test_a_hostile_file_is_one_line_in_words(tmp_path, name, caplog):
    path, line = make_hostile(tmp_path, name)
    with caplog.at_level(logging.INFO, "neuroview.io"), pytest.raises(LoadError) as raised:
        load(path)
    assert str(raised.value) == line
    assert not any(words in str(raised.value) for words in LIBRARY_WORDS)


def test_the_decoders_texts_stay_in_the_log(tmp_path, caplog):
    path, _ = make_hostile(tmp_path, "rle_frame_cut.dcm")
    with caplog.at_level(logging.INFO, "neuroview.io.dicom.decode"), pytest.raises(LoadError):
        load(path)
    detail = [r.getMessage() for r in caplog.records if r.name == "neuroview.io.dicom.decode"]
    # the file by name and folder (the whole path until session 39: a folder may name a patient)
    named = f"{path.name} in …/{path.parent.name}"
    assert len(detail) == 1 and detail[0].startswith(f"{named}: the decoders' reasons: "), detail
    assert str(path.parent) not in detail[0]
    assert "doesn't match the expected amount (1088 vs. 4096 bytes)" in detail[0], detail


def test_decoders_that_do_not_read_the_kind_say_so_and_a_syntax_by_its_kind():
    from pydicom.uid import UID

    jpeg_extended = UID("1.2.840.10008.1.2.4.51")
    assert decode_words(jpeg_extended, "pillow: Pillow does not support 'JPEG Extended' for "
                        "samples with 12-bit precision; gdcm: GDCM does not support 'JPEG "
                        "Extended' for samples with 12-bit precision") == (
        "no installed decoder reads this JPEG data (JPEG Extended with 12-bit samples)")
    # one decoder that reads the kind and refuses the data outweighs those that do not read it
    assert decode_words(jpeg_extended, "pillow: Pillow does not support 'JPEG Extended' for "
                        "samples with 12-bit precision; pylibjpeg: libjpeg error code '-1038' "
                        "returned from Decode(): A misplaced marker segment was found - frame "
                        "marker run out of data") == "the JPEG data are cut short or damaged"
    assert [kind_of(UID(u)) for u in ("1.2.840.10008.1.2.4.81", "1.2.840.10008.1.2.4.201",
                                      "1.2.840.10008.1.2.5", "1.2.840.10008.1.2.4.70")] == [
        "JPEG-LS", "JPEG 2000", "RLE", "JPEG"]
