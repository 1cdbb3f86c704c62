"""Why a frame's pixels could not be decoded, in words a user reads: what is wrong with the data
(cut short, a damaged stream, a transfer syntax that does not match them, a kind no installed
decoder reads), not each decoder's own text (``pylibjpeg: libjpeg error code '-1038' returned
from Decode(): A misplaced marker segment was found - frame marker run out of data``; ``pydicom:
The amount of decoded RLE segment data doesn't match the expected amount (1088 vs. 4096
bytes)``; ``Found unexpected tag (0389,03FB) instead of (FFFE,E000) when parsing the Basic
Offset Table item``). The decoders' texts stay in the log, as a detail.
"""

from __future__ import annotations

import re

CUT = re.compile(r"run out of data|not long enough|truncat|cut short|premature|unexpected end|"
                 r"end of (?:data|stream|file)|doesn't match the expected amount|does not match "
                 r"the expected length|broken data stream|incomplete|ends without", re.I)
"""A decoder's words for data that end before the frame does."""
WRONG_SYNTAX = re.compile(r"instead of \(FFFE,E000\)|Basic Offset Table|not encapsulated", re.I)
"""pydicom's words for pixel data not in the fragments an encapsulated syntax keeps them in."""
UNSUPPORTED = re.compile(r"does not support|not supported|unsupported|no decoder", re.I)
"""A decoder that does not read this kind of data at all (it says nothing of the data)."""
NOT_SUPPORTED_WHAT = re.compile(r"does not support '([^']+)' for samples with (\d+)-bit precision")
SHORT_NATIVE = re.compile(r"less than expected \((\d+) vs (\d+) bytes\)")
"""pydicom's reason for native pixel data shorter than Rows x Columns x samples."""
FRAGMENT_ITEM = b"\xfe\xff\x00\xe0"
"""The item tag (FFFE,E000) that starts encapsulated (compressed) pixel data."""
FRAGMENTS_UNDER_NATIVE = ("the pixel data are compressed (in fragments) where the header's "
                          "transfer syntax says uncompressed: a wrong transfer syntax")
"""Compressed pixel data under a header whose transfer syntax says uncompressed."""


def kind_of(syntax) -> str:
    """The compression a transfer syntax names, as users call it."""
    name = getattr(syntax, "name", "") or str(syntax)
    for words, kind in (("JPEG-LS", "JPEG-LS"), ("JPEG 2000", "JPEG 2000"), ("RLE", "RLE"),
                        ("JPEG", "JPEG")):
        if words in name:
            return kind
    return name


def decode_words(syntax, detail: str) -> str:
    """The reason inside ``cannot decode pixel data (...)`` for the decoders' ``detail`` (their
    reasons, ``plugin: reason`` joined by ``; ``) on data of transfer syntax ``syntax``."""
    if WRONG_SYNTAX.search(detail):
        return (f"the pixel data are not in the fragments {kind_of(syntax)} data are kept in: a "
                "wrong transfer syntax in the header, or damaged")
    short = SHORT_NATIVE.search(detail)
    if short:
        return (f"the pixel data hold {short[1]} of the {short[2]} bytes the image's size needs: "
                "cut short, or a wrong transfer syntax")
    kind = kind_of(syntax)
    reasons = [part for part in detail.split("; ") if part.strip()]
    telling = [part for part in reasons if not UNSUPPORTED.search(part)]
    if reasons and not telling:   # no installed decoder reads this kind of data
        what = NOT_SUPPORTED_WHAT.search(detail)
        named = f" ({what[1]} with {what[2]}-bit samples)" if what else ""
        return f"no installed decoder reads this {kind} data{named}"
    if any(CUT.search(part) for part in telling):
        return f"the {kind} data are cut short or damaged"
    return f"the {kind} data are damaged: not a stream a decoder can read"


def native_short_words(count: int, expected: int, head: bytes) -> str:
    """The reason for uncompressed pixel data that hold fewer values than the image's size:
    compressed data under a header that says uncompressed (they start with a fragment's item
    tag) are a wrong transfer syntax, else the data are cut short."""
    if head.startswith(FRAGMENT_ITEM):
        return FRAGMENTS_UNDER_NATIVE
    return f"pixel data is truncated ({count} of {expected} values)"
