"""Which packages setuptools puts in the wheel (everything else is in pyproject.toml).

The bundled models, anatomy and demo case stay in the checkout's top-level ``resources/``
(DESIGN.md's layout); the wheel carries them as package data under ``neuroview/resources/``, where
``neuroview.paths.resources_dir`` finds them in an installed wheel. Only the files the product
reads are listed: a training checkpoint left in ``resources/models/`` stays out.
"""

from setuptools import find_namespace_packages, setup

RESOURCES = ["neuroview.resources"] + [f"neuroview.resources.{name}"
                                       for name in find_namespace_packages("resources")]
RESOURCE_FILES = ["anatomy/*", "demo/*", "models/*/model.json", "models/*/weights.safetensors"]

setup(
    packages=find_namespace_packages(include=["neuroview*"]) + RESOURCES,
    package_dir={"neuroview.resources": "resources"},
    package_data={"neuroview.resources": RESOURCE_FILES},
)
