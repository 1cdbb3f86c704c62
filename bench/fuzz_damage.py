"""Everyday damage for ``bench/fuzz_readers.py``, and the templates it adds beside its own.

A copy cut short by a full disk or an interrupted transfer, a flipped byte, a zeroed region
(a sector lost, a sparse file): each template file, and each gzip stream's uncompressed bytes,

    cut k/64     the file cut at every 64th of its length (k = 1 .. 63)
    zero k/16    one 16th of the file set to zero bytes (k = 0 .. 15)
    flip n       seeded, 1 to 8 bytes of the header region (its first 1 kB) changed to random
                 values (``FLIPS`` files a template)

Templates it adds (made in the run): ``mha`` and ``mhd`` (MetaImage, attached and detached,
written by SimpleITK: opened, or refused in one line when damaged),
``seg`` (a DICOM SEG on a 5-slice classic series, opened as labels on it), ``labels`` (a NIfTI
label map with its ``.segments.json``, opened as labels on its image), ``segjson`` (that
``.segments.json`` itself, text damaged) and ``worklist`` (a CSV list of cases given to
``segment``). ``role`` says which commands a template's file goes through
(``fuzz_readers.commands_for``).
"""

from __future__ import annotations

import json
import random
import tempfile
from pathlib import Path

import numpy as np

FLIPS = 24
HEADER = 1024


def damage_mutations(data: bytes, seed: str, header: int = HEADER) -> list[tuple[str, bytes]]:
    """(attack name, bytes) for every cut at k/64, zeroed 16th and seeded header flip of ``data``."""
    out, size = [], len(data)
    for k in range(1, 64):
        out.append((f"cut {k}/64", data[:size * k // 64]))
    for k in range(16):
        start, end = size * k // 16, size * (k + 1) // 16
        out.append((f"zero {k}/16", data[:start] + bytes(end - start) + data[end:]))
    rng = random.Random(seed)
    span = max(1, min(size, header))
    for n in range(FLIPS):
        edited = bytearray(data)
        spots = sorted(rng.sample(range(span), min(span, rng.randint(1, 8))))
        for at in spots:
            edited[at] = rng.randrange(256)
        out.append((f"flip {n} at {','.join(map(str, spots))}", bytes(edited)))
    return out


def _read_all(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _volume() -> np.ndarray:
    return np.random.default_rng(0).integers(0, 1000, (12, 10, 6)).astype(np.int16)


def _metaimage(tmp: Path, suffix: str) -> dict[str, bytes]:
    import SimpleITK as sitk

    image = sitk.GetImageFromArray(np.ascontiguousarray(_volume().transpose(2, 1, 0)))
    image.SetSpacing((1.5, 1.2, 3.0))
    image.SetOrigin((-9.0, -6.0, -9.0))
    sitk.WriteImage(image, str(tmp / f"t{suffix}"))
    return _read_all(tmp)


def _labelled(tmp: Path) -> dict[str, bytes]:
    import nibabel as nib

    affine = np.diag([1.5, 1.2, 3.0, 1.0])
    nib.save(nib.Nifti1Image(_volume(), affine), tmp / "image.nii.gz")
    labels = np.zeros((12, 10, 6), np.uint8)
    labels[2:6, 2:5, 1:4], labels[7:10, 5:8, 2:5] = 1, 2
    nib.save(nib.Nifti1Image(labels, affine), tmp / "labels.nii")
    segments = [{"value": v, "name": n, "color": c, "visible": True, "locked": False,
                 "origin": "human", "model": "", "prompts": {}, "drawn": False}
                for v, n, c in ((1, "lesion", [230, 25, 75]), (2, "oedema", [60, 180, 75]))]
    (tmp / "labels.segments.json").write_text(json.dumps(segments, indent=1))
    return _read_all(tmp)


def _seg(tmp: Path) -> dict[str, bytes]:
    from bench.kinds_fuzz import _seg as make_seg

    make_seg(tmp)
    return _read_all(tmp)


def _worklist(tmp: Path) -> dict[str, bytes]:
    from bench.kinds_fuzz import _worklist_image

    _worklist_image(tmp / "a" / "scan.nii.gz")
    _worklist_image(tmp / "b" / "scan.nii.gz")
    (tmp / "list.csv").write_text("path,case,score\na/scan.nii.gz,a,0.9\nb/scan.nii.gz,b,0.4\n")
    return _read_all(tmp)


def _template(files: dict[str, bytes], name: str, role: str, gz: bool = False) -> dict:
    data = files.pop(name)
    if gz:
        import gzip

        data = gzip.decompress(data)
    return {"name": name, "data": data, "dtype": None, "gz": gz, "beside": files, "role": role}


def more_templates() -> dict[str, dict]:
    """The templates ``fuzz_readers`` lacks, as its ``templates()`` describes them, with a
    ``role``: image (info, convert, window), labels (its ``labels`` file given as labels on
    ``image``), or worklist (``segment``)."""
    made = {}
    with tempfile.TemporaryDirectory() as tmp:
        for key, make in (("mha", lambda t: _metaimage(t, ".mha")),
                          ("mhd", lambda t: _metaimage(t, ".mhd")),
                          ("labels", _labelled), ("seg", _seg), ("worklist", _worklist)):
            folder = Path(tmp) / key
            folder.mkdir()
            made[key] = make(folder)
    labelled = dict(made["labels"])
    return {
        "mha": _template(made["mha"], "t.mha", "image"),
        "mhd": _template(made["mhd"], "t.mhd", "image"),
        "labels": _template(made["labels"], "labels.nii", "labels"),
        "segjson": {**_template(labelled, "labels.segments.json", "labels"), "labels": "labels.nii"},
        "seg": {**_template(made["seg"], "seg.dcm", "labels"), "image": "series"},
        "worklist": _template(made["worklist"], "list.csv", "worklist"),
    }
