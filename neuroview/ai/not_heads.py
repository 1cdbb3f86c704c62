"""MR images of other body parts, for checking what a head model does with them: a knee, a lumbar
spine and an abdomen as scanners slice them, T1-like (fat and marrow bright, muscle mid, fluid
and cortical bone dark), with air round the body and a little noise. Each field of view passes
a head model's check of size (``preprocess.MIN_HEAD_FOV_MM``), so the card's brain extraction
runs on them as it would on an untagged series of such a study. Shapes, not anatomy: the
tissues are ellipses and cylinders of the sizes a radiologist would measure.

Numpy only.
"""

from __future__ import annotations

import numpy as np

FAT, MARROW, MUSCLE, CARTILAGE, FLUID, BONE, ORGAN = 900.0, 780.0, 330.0, 420.0, 120.0, 40.0, 480.0
BODY_PARTS = ("knee", "spine", "abdomen")


def _grid(shape, spacing):
    """Millimetre coordinates of each voxel's centre, the grid centred on 0, and its affine."""
    axes = [(np.arange(n) - (n - 1) / 2) * s for n, s in zip(shape, spacing)]
    affine = np.diag([*spacing, 1.0])
    affine[:3, 3] = [-(n - 1) / 2 * s for n, s in zip(shape, spacing)]
    return np.meshgrid(*axes, indexing="ij"), affine


def _ellipse(x, y, cx, cy, rx, ry):
    return ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 <= 1.0


def _finish(image: np.ndarray, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    image = image * (1 + 0.05 * rng.standard_normal(image.shape)) + 12.0 * np.abs(
        rng.standard_normal(image.shape))
    return image.astype(np.float32)


def knee(seed: int = 0):
    """An axial knee stack, 256 x 256 x 30 at 0.6 x 0.6 x 3.5 mm (154 x 154 x 105 mm): the leg's
    muscle in a ring of fat, the femur above the joint line and the tibia below (marrow in a
    cortical rim), cartilage and joint fluid between, the patella in front."""
    (x, y, z), affine = _grid((256, 256, 30), (0.6, 0.6, 3.5))
    image = np.zeros(x.shape)
    leg = _ellipse(x, y, 0, 0, 62, 55)
    image[leg] = FAT
    image[_ellipse(x, y, 0, -3, 54, 47)] = MUSCLE
    femur = (z > 4) & _ellipse(x, y, 0, 0, 38, 30)
    tibia = (z < -4) & _ellipse(x, y, 0, 3, 35, 28)
    joint = (np.abs(z) <= 4) & _ellipse(x, y, 0, 0, 38, 30)
    for bone in (femur, tibia):
        image[bone] = BONE
    image[femur & _ellipse(x, y, 0, 0, 35, 27)] = MARROW
    image[tibia & _ellipse(x, y, 0, 3, 32, 25)] = MARROW
    image[joint] = CARTILAGE
    image[joint & (np.abs(z) <= 1.5)] = FLUID
    patella = (z > -4) & (z < 30) & _ellipse(x, y, 0, 42, 20, 9)
    image[patella] = BONE
    image[patella & _ellipse(x, y, 0, 42, 17, 7)] = MARROW
    return _finish(image, seed), affine


def spine(seed: int = 0):
    """A sagittal lumbar spine, 320 x 320 x 24 at 0.8 x 0.8 x 4 mm (256 x 256 x 96 mm; x runs
    front to back, y superior-inferior, z left-right): five vertebral bodies (marrow, dark
    endplates) and their discs, the canal's fluid behind them, the back's muscle and fat, the
    belly's organs in front, air before the belly and behind the back."""
    (x, y, z), affine = _grid((320, 320, 24), (0.8, 0.8, 4.0))
    affine = affine[[2, 0, 1, 3]]          # i posterior (x grows to the back), j superior, k right
    affine[1] *= -1
    image = np.zeros(x.shape)
    body = _ellipse(x, z, -10, 0, 115, 160)
    image[body] = FAT
    image[body & _ellipse(x, z, -10, 0, 100, 145)] = ORGAN
    image[_ellipse(x, z, 45, 0, 45, 70)] = MUSCLE           # the back's muscle, behind the spine
    column = np.abs(z) < 22
    for level in range(-2, 3):
        centre = level * 42.0
        vertebra = column & (np.abs(y - centre) < 15) & (np.abs(x + 5) < 18)
        image[vertebra] = BONE
        image[vertebra & (np.abs(y - centre) < 13) & (np.abs(x + 5) < 16)] = MARROW
        image[column & (np.abs(y - centre - 21) < 5) & (np.abs(x + 5) < 17)] = CARTILAGE
    image[(np.abs(z) < 9) & (np.abs(x - 22) < 7)] = FLUID   # the canal
    return _finish(image, seed), affine


def abdomen(seed: int = 0):
    """An axial abdomen, 256 x 256 x 40 at 1.5 x 1.5 x 5 mm (384 x 384 x 200 mm): the trunk's
    fat, its wall's muscle, the liver, spleen, both kidneys, the aorta, a vertebra with its canal
    and the back's muscle."""
    (x, y, z), affine = _grid((256, 256, 40), (1.5, 1.5, 5.0))
    image = np.zeros(x.shape)
    image[_ellipse(x, y, 0, 0, 165, 120)] = FAT
    image[_ellipse(x, y, 0, 0, 150, 106)] = MUSCLE
    image[_ellipse(x, y, 0, 0, 140, 96)] = ORGAN * 0.8                 # bowel and mesentery
    image[_ellipse(x, y, -70, 15, 65, 60) & (z > -40)] = ORGAN          # liver (the patient's right)
    image[_ellipse(x, y, 85, -15, 30, 40) & (z > 0)] = ORGAN * 1.1     # spleen
    for side in (-1, 1):
        kidney = _ellipse(x, y, side * 60, -50, 22, 30) & (np.abs(z + 10) < 55)
        image[kidney] = ORGAN * 1.2
        image[kidney & _ellipse(x, y, side * 60, -50, 8, 10)] = FAT * 0.7
    image[_ellipse(x, y, 20, -30, 12, 12)] = FLUID                       # aorta
    image[_ellipse(x, y, 0, -60, 24, 20)] = MARROW                       # vertebral body
    image[_ellipse(x, y, 0, -88, 8, 8)] = FLUID                          # canal
    for side in (-1, 1):
        image[_ellipse(x, y, side * 35, -85, 25, 18)] = MUSCLE
    return _finish(image, seed), affine


def body_part_image(part: str, seed: int = 0):
    """``(image, ijk_to_ras)`` of ``part`` (one of :data:`BODY_PARTS`)."""
    return {"knee": knee, "spine": spine, "abdomen": abdomen}[part](seed)
