"""What README.md points a reader to exists: its links to headings (``#anchor``, as GitHub makes
them) and to files (images), the repository files it names in backticks
(``tests/io/test_special_files.py``, ``neuroview/ui/worklist_watch.py``) and the tests it names by
function (``test_a_cifti_file_is_...``)."""

from __future__ import annotations

import re

from tests.checkout import REPO

README = REPO / "README.md"
# folders of this repository a backticked path can start with (io/dicom/...: under neuroview/)
ROOTS = ("tests/", "neuroview/", "bench/", "packaging/", "resources/", "docs/", ".ci/")
PACKAGES = ("io/", "ui/", "app/", "core/", "ai/", "dataset/", "render/", "cli/")
FILE = re.compile(r"[\w.\-/]+\.(?:py|md|json|sh|toml|png|desktop|txt|cfg)")


def _text_outside_code_blocks() -> str:
    return re.sub(r"^```.*?^```", "", README.read_text(encoding="utf-8"), flags=re.S | re.M)


def github_anchor(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, markup and punctuation other than ``-``
    and ``_`` dropped, spaces made ``-``."""
    text = re.sub(r"[`*]", "", heading).strip().lower()
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def anchors(text: str) -> set[str]:
    seen: dict[str, int] = {}
    out = set()
    for heading in re.findall(r"^#{1,6} (.+)$", text, re.M):
        anchor = github_anchor(heading)
        n = seen.get(anchor, 0)
        seen[anchor] = n + 1
        out.add(anchor if n == 0 else f"{anchor}-{n}")
    return out


def test_github_anchor_matches_githubs_rule():
    assert github_anchor("TorchScript, ONNX and nnU-Net models") == "torchscript-onnx-and-nnu-net-models"
    assert github_anchor("Interactive AI segmentation (AI click)") == "interactive-ai-segmentation-ai-click"
    assert github_anchor("The bundled model: `lesionseg`") == "the-bundled-model-lesionseg"
    assert anchors("# A\n## A\n") == {"a", "a-1"}


def test_every_link_of_the_readme_leads_somewhere():
    text = _text_outside_code_blocks()
    known = anchors(text)
    broken = []
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        if target.startswith(("http://", "https://", "mailto:")):
            continue
        if target.startswith("#"):
            if target[1:] not in known:
                broken.append(target)
        elif not (REPO / target.split("#")[0]).exists():
            broken.append(target)
    assert not broken, f"README links to nothing: {broken}"


def test_every_repository_file_the_readme_names_exists():
    text = _text_outside_code_blocks()
    missing = []
    for token in set(re.findall(r"`([^`\s]+)`", text)):
        path = token.split("::")[0]
        if not FILE.fullmatch(path):
            continue
        if path.startswith(ROOTS):
            found = (REPO / path).exists()
        elif path.startswith(PACKAGES):
            found = (REPO / "neuroview" / path).exists()
        elif "/" not in path and path.startswith("test_"):
            found = any(REPO.glob(f"tests/**/{path}"))
        else:
            continue
        if not found:
            missing.append(token)
    assert not missing, f"README names files that are not in the repository: {sorted(missing)}"


def test_every_test_the_readme_names_by_function_exists():
    sources = "\n".join(p.read_text(encoding="utf-8") for p in REPO.glob("tests/**/*.py"))
    defined = set(re.findall(r"^\s*(?:async )?def (test_\w+)", sources, re.M))
    named = {m for m in re.findall(r"`(?:[^`\s]*::)?(test_\w+)`", _text_outside_code_blocks())}
    missing = sorted(name for name in named if name not in defined and not any(
        REPO.glob(f"tests/**/{name}.py")))
    assert not missing, f"README names tests that do not exist: {missing}"
