"""Make the lesion demo case: the real MNI152 T1 template with synthetic lesions painted in.

    python packaging/make_demo_lesions.py            # writes resources/demo/mni152_t1_lesions*.nii.gz

Real anatomy, synthetic lesions: the image is ``resources/demo/mni152_t1_1mm.nii.gz`` (the ICBM
2009a template, uint8) with the lesions below painted in by ``neuroview.ai.synth.paint_lesion``
(the generator the bundled model was trained on): irregular ellipsoids restricted to brain tissue
(nilearn's GM + WM probability maps of the same template), blended with a soft edge into an
intensity above or below the local tissue. Every lesion is seeded, so the files are reproducible.
The ground-truth mask (uint8, 1 = lesion) is written beside the image. Needs nilearn (the
``dev`` extra) for the tissue maps.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
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
    from neuroview.io.nifti import save_nifti

    template = nib.load(DEMO / "mni152_t1_1mm.nii.gz")
    image = np.asarray(template.dataobj, dtype=np.float32)
    anatomy = synth.load_mni_anatomy()
    if anatomy.t1.shape != image.shape or not np.allclose(anatomy.affine, template.affine):
        raise SystemExit("nilearn's MNI152 maps do not match the demo template")
    label = np.zeros(image.shape, bool)
    ras_to_ijk = np.linalg.inv(template.affine)
    for centre_ras, diameter, seed in LESIONS:
        centre = np.rint(ras_to_ijk @ np.append(centre_ras, 1.0))[:3].astype(int)
        synth.paint_lesion(image, label, anatomy.brain, centre, 1.0, np.random.default_rng(seed),
                           diameter_mm=diameter)
    image = np.clip(np.rint(image), 0, 255).astype(np.uint8)
    out.mkdir(parents=True, exist_ok=True)
    image_path = save_nifti(image, template.affine, out / IMAGE_NAME,
                            description="MNI152 T1 + synthetic lesions")
    truth_path = save_nifti(label.astype(np.uint8), template.affine, out / TRUTH_NAME,
                            description="synthetic lesions (ground truth)")
    return image_path, truth_path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEMO)
    args = parser.parse_args()
    for path in make(args.out):
        print(path, path.stat().st_size, "bytes")


if __name__ == "__main__":
    main()
