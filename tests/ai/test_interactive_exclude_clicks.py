"""``train --interactive --exclude-clicks SHARE``: that share of the cubes of small objects (half of
it for larger ones) starts from an answer that over-reaches into the object's halo and gets an
exclude click there, the object as the target (issue #13: the second click as an exclude lost
0.080 Dice on the bench's lesions). Drawn on balls in small cubes, no template, no training."""

import numpy as np
import pytest
import torch
from scipy import ndimage

from neuroview.ai.interactive import train as interactive_train
from neuroview.ai.interactive.cubes import Cube
from neuroview.ai.interactive.roi import CHANNELS


class Balls:
    """Cubes of 24^3 voxels holding one ball of ``radius`` voxels at ``spacing`` mm, placed at random."""

    def __init__(self, radius: float, spacing: float, seed: int = 0) -> None:
        self.radius, self.spacing, self.rng = radius, spacing, np.random.default_rng(seed)

    def sample(self) -> Cube:
        centre = self.rng.uniform(9, 15, 3)
        truth = np.linalg.norm(np.indices((24,) * 3).T - centre, axis=-1).T <= self.radius
        image = self.rng.normal(0, 0.2, truth.shape).astype(np.float32) + truth
        return Cube(image, truth, self.spacing)


def _draw(cubes: Balls, share: float, batches: int, corrective_clicks: int = 0, network=None):
    """Each cube's truth, channels and the kinds of the clicks after its first prompt (True: include)."""
    network = network if network is not None else torch.nn.Identity()
    rng, drawn = np.random.default_rng(1), []
    for _ in range(batches):
        clicks = []
        inputs, target, batch = interactive_train._batch(cubes, network, rng, 4, corrective_clicks,
                                                         share, clicks)
        for place, cube in enumerate(batch):
            assert np.array_equal(target[place].numpy(), cube.truth)   # the object is the target
            drawn.append((cube.truth, inputs[place].numpy(), [inc for p, inc, _ in clicks if p == place]))
    return drawn


def test_an_exclude_click_lies_in_the_halo_the_answer_over_reaches_into():
    """Every cube of a 6 mm ball (share 1) gets one click, an exclude, outside the ball and inside
    the over-reaching previous mask, within 3 voxels of the ball; the mask holds the whole ball."""
    drawn = _draw(Balls(3.0, 1.0), 1.0, 10)
    exclude, previous = CHANNELS.index("exclude"), CHANNELS.index("previous")
    for truth, channels, clicks in drawn:
        assert clicks == [False]
        mask = channels[previous] > 0
        assert mask[truth].all() and mask.sum() > truth.sum()
        ball = channels[exclude] > 0
        assert ball.any() and ball.sum() < 40   # one click's ball
        centre = tuple(np.round(np.argwhere(ball).mean(0)).astype(int))
        assert not truth[centre] and mask[centre]
        assert ndimage.distance_transform_edt(~truth)[centre] <= 3


def test_the_share_of_cubes_trimmed_follows_the_objects_size():
    """``SHARE`` of the cubes of objects under 10 mm across, half of it for larger ones (200 cubes
    each: the binomial's standard deviation is 0.035 and 0.028)."""
    small = _draw(Balls(3.0, 1.0), 0.4, 50)
    large = _draw(Balls(3.0, 3.0), 0.4, 50)   # 19 mm across at 3 mm voxels
    for drawn, share in ((small, 0.4), (large, 0.2)):
        trimmed = np.mean([clicks == [False] for _, _, clicks in drawn])
        assert abs(trimmed - share) < 0.1, (trimmed, share)
        assert all(clicks in ([], [False]) for _, _, clicks in drawn)


def test_a_trimmed_cube_gets_no_corrective_clicks_from_the_network():
    """With corrective clicks, the other cubes take theirs from the network's answer (here an
    empty one: include clicks), a trimmed cube keeps its one exclude click and its over-reach."""
    class Nothing(torch.nn.Module):   # answers 'background' everywhere
        def __init__(self):
            super().__init__()
            self.unused = torch.nn.Parameter(torch.zeros(1))   # where the answer's device is read

        def forward(self, x):
            return torch.stack([x[:, 0] * 0 + 5, x[:, 0] * 0 - 5], 1)

    drawn = _draw(Balls(3.0, 1.0), 0.5, 20, corrective_clicks=2, network=Nothing())
    kinds = {tuple(clicks) for _, _, clicks in drawn}
    assert (False,) in kinds and (True,) in kinds and (True, True) in kinds
    assert not any(False in clicks and len(clicks) > 1 for _, _, clicks in drawn)


def test_the_command_line_passes_the_share_and_refuses_one_out_of_range(monkeypatch, tmp_path, capsys):
    from neuroview.cli.main import main

    seen = []
    monkeypatch.setattr(interactive_train, "train_interactive", lambda config: seen.append(config))
    assert main(["train", "--interactive", "--out", str(tmp_path / "c"), "--base", "clickseg"]) == 0
    assert seen[0].exclude_clicks == 0.0   # the recipe before session 47
    assert main(["train", "--interactive", "--out", str(tmp_path / "c"), "--base", "clickseg",
                 "--exclude-clicks", "0.3"]) == 0
    assert seen[1].exclude_clicks == 0.3
    capsys.readouterr()
    assert main(["train", "--interactive", "--out", str(tmp_path / "c"), "--exclude-clicks", "1.5"]) != 0
    assert capsys.readouterr().err.strip().splitlines()[-1] == \
        "neuroview: error: --exclude-clicks 1.5 is not a share between 0 and 1"
    assert len(seen) == 2


@pytest.mark.parametrize("flag", ["--small-lesions", "--first-click-cubes"])
def test_the_recipes_other_shares_out_of_range_are_refused_in_one_line(monkeypatch, tmp_path, capsys, flag):
    """``--small-lesions 1.5`` or ``--first-click-cubes -0.2`` trained without a word until
    session 47 (a share over 1 draws every lesion small; a negative one none)."""
    from neuroview.cli.main import main

    monkeypatch.setattr(interactive_train, "train_interactive", lambda config: pytest.fail("trained"))
    for value in ("1.5", "-0.2", "nan"):
        assert main(["train", "--interactive", "--out", str(tmp_path / "c"), flag, value]) != 0
        assert capsys.readouterr().err.strip().splitlines()[-1] == \
            f"neuroview: error: {flag} {float(value)} is not a share between 0 and 1"
