"""Simulated-user rounds with a promptable network on one cube: the prompts given so far as the
network's channels (include, exclude, box, previous mask), the network's answer, and a session of
clicks (the first one, then each in the largest error region of the answer) scored by Dice.
Used by the recipe (:mod:`.train`) and the card's click metrics (:mod:`.card_metrics`).
"""

from __future__ import annotations

import numpy as np
import torch

from ..distributed import autocast
from .roi import CLICK_RADIUS_MM, draw_balls, draw_box
from .simulate import box_on_slice, deepest_point, dice, next_click, scribble_on_slice


class SimulatedPrompts:
    """The prompts one simulated user has given on one cube, as network channels."""

    def __init__(self, shape, spacing: float = 1.0) -> None:
        self.channels = np.zeros((4,) + tuple(shape), np.float32)  # include, exclude, box, previous
        self.spacing = spacing  # mm per cube voxel: prompts are drawn as encode_prompts draws them

    def click(self, ijk, include: bool) -> None:
        ball = draw_balls(self.channels.shape[1:], [ijk], CLICK_RADIUS_MM / self.spacing)
        np.maximum(self.channels[0 if include else 1], ball, out=self.channels[0 if include else 1])

    def box(self, lo, hi, axis: int) -> None:
        u, v = (np.eye(3)[a] for a in range(3) if a != axis)
        self.channels[2] = np.maximum(self.channels[2], draw_box(self.channels.shape[1:], lo, hi, u, v))

    def scribble(self, points) -> None:
        dense = [points[:1]]
        for a, b in zip(points[:-1], points[1:]):
            n = max(1, int(np.ceil(np.linalg.norm(b - a) / 0.5)))
            dense.append(a + (b - a) * (np.arange(1, n + 1)[:, None] / n))
        ball = draw_balls(self.channels.shape[1:], np.concatenate(dense), max(1.0 / self.spacing, 0.5))
        np.maximum(self.channels[0], ball, out=self.channels[0])

    def first(self, truth, rng) -> None:
        """A random first prompt: a click (60 %), a box (25 %) or a scribble (15 %) on a random axis."""
        kind = rng.choice(["click", "box", "scribble"], p=[0.6, 0.25, 0.15])
        axis = int(rng.integers(3))
        if kind == "click":
            self.click(deepest_point(truth, rng=rng, top=0.5), True)
        elif kind == "box":
            self.box(*box_on_slice(truth, axis, rng), axis)
        else:
            self.scribble(scribble_on_slice(truth, axis, rng))


def network_input(image, prompts: SimulatedPrompts) -> np.ndarray:
    return np.concatenate([image[None], prompts.channels])


def probabilities(network, inputs: np.ndarray) -> np.ndarray:
    device = next(network.parameters()).device
    with torch.no_grad(), autocast(device):
        logits = network(torch.from_numpy(np.ascontiguousarray(inputs, dtype=np.float32)).to(device))
    return torch.softmax(logits.float(), 1)[:, 1].cpu().numpy()


def click_session(network, image, truth, clicks: int, spacing: float = 1.0, click=None) -> list[float]:
    """Dice after each of ``clicks`` clicks of a simulated user (the first at ``click``, or the
    object's deepest voxel) on a cube of ``spacing`` mm."""
    prompts = SimulatedPrompts(truth.shape, spacing)
    prompts.click(deepest_point(truth) if click is None else click, True)
    scores = []
    for n in range(clicks):
        prediction = probabilities(network, network_input(image, prompts)[None])[0] > 0.5
        scores.append(dice(prediction, truth))
        if n + 1 < clicks:
            nxt = next_click(truth, prediction)
            if nxt is None:
                scores.extend([scores[-1]] * (clicks - n - 1))
                break
            prompts.click(*nxt)
            prompts.channels[3] = prediction
    return scores
