"""Make the lesion demo case: the real MNI152 T1 template with synthetic lesions painted in.

    python packaging/make_demo_lesions.py            # writes resources/demo/mni152_t1_lesions*.nii.gz
    python packaging/make_demo_lesions.py --check    # runs lesionseg on those files, lesion by lesion
                                                     # (writes nothing)

Real anatomy, synthetic lesions: the image is ``resources/demo/mni152_t1_1mm.nii.gz`` (the ICBM
2009a template, uint8) with the lesions below painted in by ``neuroview.ai.synth.paint_lesion``
(the generator the bundled model was trained on): irregular ellipsoids restricted to brain tissue
(nilearn's GM + WM probability maps of the same template), blended with a soft edge into an
intensity above or below the local tissue. Every lesion is seeded, so the files are reproducible.

The truth is what is visible: ``paint_lesion`` blends its soft edge past the mask it returns (a
rim 1-3 voxels wide, as white as the lesion where a bright one saturates at 255), so voxels outside
the mask get the template's value back and the image differs from the template exactly on the
ground truth. The ground-truth mask (uint8, 1 = lesion) is written beside the image with its
``.segments.json`` sidecar (value 1 = "lesion"), so *File > Load labels* names it. Needs nilearn
(the ``dev`` extra) for the tissue maps.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # this checkout's neuroview, installed or not
DEMO = ROOT / "resources" / "demo"
IMAGE_NAME = "mni152_t1_lesions.nii.gz"
TRUTH_NAME = "mni152_t1_lesions_truth.nii.gz"

LESIONS = [
    # (R, A, S) centre in mm (MNI space), diameter in mm, seed of its shape and contrast
    ((26.0, 12.0, 26.0), 24.0, 11),
    ((-28.0, -40.0, 32.0), 18.0, 12),
    ((-22.0, 30.0, 16.0), 15.0, 13),
    ((28.0, -52.0, 16.0), 16.0, 17),
]


def make(out: Path = DEMO) -> tuple[Path, Path]:
    import nibabel as nib

    from neuroview.ai import synth
    from neuroview.app.label_files import save_label_files
    from neuroview.core.labels import LabelMap, SegmentTable
    from neuroview.io.nifti import save_nifti

    template = nib.load(DEMO / "mni152_t1_1mm.nii.gz")
    image = np.asarray(template.dataobj, dtype=np.float32)
    anatomy = synth.load_mni_anatomy()
    if anatomy.t1.shape != image.shape or not np.allclose(anatomy.affine, template.affine):
        raise SystemExit("nilearn's MNI152 maps do not match the demo template")
    template_values = image.copy()
    label = np.zeros(image.shape, bool)
    ras_to_ijk = np.linalg.inv(template.affine)
    for centre_ras, diameter, seed in LESIONS:
        centre = np.rint(ras_to_ijk @ np.append(centre_ras, 1.0))[:3].astype(int)
        synth.paint_lesion(image, label, anatomy.brain, centre, 1.0, np.random.default_rng(seed),
                           diameter_mm=diameter)
    image[~label] = template_values[~label]  # no rim outside the truth: it covers what is visible
    image = np.clip(np.rint(image), 0, 255).astype(np.uint8)
    out.mkdir(parents=True, exist_ok=True)
    image_path = save_nifti(image, template.affine, out / IMAGE_NAME,
                            description="MNI152 T1 + synthetic lesions")
    segments = SegmentTable()
    segments.add("lesion", value=1)
    truth_path = save_label_files(LabelMap(label.astype(np.uint8), template.affine, segments),
                                  template.affine, out / TRUTH_NAME)
    return image_path, truth_path


def check(image_path: Path, truth_path: Path, device: str = "cpu") -> int:
    """Run the bundled model on the case; print, per true lesion, how much of it the model marked
    and whether MSSEG-2016's rule finds it, and per model region whether the rule counts it true;
    1 when a lesion was missed."""
    import time

    import nibabel as nib

    from neuroview.ai import segment_volume
    from neuroview.io.nifti import load_nifti

    start = time.perf_counter()
    labels, _, model, used = segment_volume(load_nifti(image_path), "lesionseg", device=device)
    seconds = time.perf_counter() - start
    truth = nib.load(truth_path)
    lines, missed = lesion_lines(labels == 1, np.asarray(truth.dataobj) == 1, truth.affine)
    print(f"{model} on {used}: {seconds:.1f} s; {lines[0]}")
    print("\n".join(f"  {line}" for line in lines[1:]))
    return 1 if missed else 0


def lesion_lines(prediction: np.ndarray, truth: np.ndarray, affine) -> tuple[list[str], int]:
    """What :func:`check` prints of a prediction against the truth (Dice, then a line per true
    lesion and per model region, largest first), counted by MSSEG-2016's rule
    (:func:`neuroview.ai.metrics.match_masks`, the rule of the README's tables); and how many
    lesions it misses."""
    from neuroview.ai.metrics import match_masks, region_kinds
    from neuroview.app.components import find_components

    m = match_masks(prediction, truth)
    kinds = region_kinds(m)
    dice = 2 * (prediction & truth).sum() / max(int(prediction.sum() + truth.sum()), 1)
    lines = [f"Dice {dice:.3f}, found {int(m.found.sum())}/{len(m.found)}, "
             f"{int((~m.true_positive).sum())} false of {len(m.true_positive)} regions (MSSEG-2016 rule)"]
    for lesion in find_components(truth, affine):
        index = m.true_labels[lesion.jump_ijk] - 1
        lines.append(f"true lesion {lesion.index}: {lesion.volume_ml:.2f} mL, {lesion.diameter_mm:.1f} mm, "
                     f"at {tuple(round(x) for x in lesion.centroid_ras)}: {m.marked[index]:.0%} of its "
                     f"voxels marked, {'found' if m.found[index] else 'missed'}")
    for c in find_components(prediction, affine):
        index = m.pred_labels[c.jump_ijk] - 1
        verdict = {"false": "false, no true lesion here", "too small a part": "false, too small a part "
                   "of a lesion marked", "mostly outside": "false, mostly outside the lesions"}.get(
                       kinds[index], kinds[index])
        where = tuple(round(x) for x in c.centroid_ras)
        lines.append(f"model region {c.index}: {c.volume_ml:.2f} mL at {where}, "
                     f"{m.inside[index]:.0%} in a lesion: {verdict}")
    return lines, int((~m.found).sum())


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEMO, help="the folder written (or checked)")
    parser.add_argument("--check", action="store_true",
                        help="only run the bundled model on the case in --out and report which "
                             "lesions it finds; nothing is written")
    args = parser.parse_args(argv)
    if args.check:   # it used to remake the committed files first: a check must not write
        paths = (args.out / IMAGE_NAME, args.out / TRUTH_NAME)
        missing = [str(path) for path in paths if not path.is_file()]
        if missing:
            raise SystemExit(f"{missing[0]}: no such file (make it first, without --check)")
        raise SystemExit(check(*paths))
    paths = make(args.out)
    for path in paths:
        print(path, path.stat().st_size, "bytes")


if __name__ == "__main__":
    main()
