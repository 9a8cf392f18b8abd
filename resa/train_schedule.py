"""Which rows each optimizer step of ``resa train`` sees, and its learning rate.

Both are pure functions of the step, the options and the seed, so a resumed run continues exactly where the
killed one stopped: each epoch's order is ``random.Random("resa-train:<seed>:<epoch>")``'s shuffle of the
rows, cut into batches of ``batch_size`` (the last one shorter), ``grad_accum`` batches per step; the learning
rate warms up linearly over ``warmup_ratio`` of the steps, then decays linearly towards 0.
"""

from __future__ import annotations

import math
import random

from resa.train_data import TrainRow
from resa.train_options import TrainOptions
from resa.train_state import Progress


class Schedule:
    """Which rows each optimizer step sees, and its learning rate: pure functions of the step and the seed."""

    def __init__(self, rows: list[TrainRow], options: TrainOptions, separate_text_only: bool) -> None:
        self.options = options
        self.size = len(rows)
        # Families whose processor cannot batch text-only rows with image rows get batches of one kind each.
        self.has_images = [bool(row.images) for row in rows] if separate_text_only else None
        batches = len(self._batches(list(range(self.size))))
        self.steps_per_epoch = math.ceil(batches / options.grad_accum)
        total = self.steps_per_epoch * options.epochs
        self.total = min(total, options.max_steps) if options.max_steps is not None else total
        self.warmup = math.ceil(options.warmup_ratio * self.total)

    def order(self, epoch: int) -> list[int]:
        """The seeded permutation of the rows for ``epoch``."""
        order = list(range(self.size))
        random.Random(f"resa-train:{self.options.seed}:{epoch}").shuffle(order)
        return order

    def _batches(self, order: list[int]) -> list[list[int]]:
        size = self.options.batch_size
        if self.has_images is None:
            return [order[i : i + size] for i in range(0, len(order), size)]
        kinds = [[i for i in order if self.has_images[i] == flag] for flag in (True, False)]
        batches = [kind[i : i + size] for kind in kinds for i in range(0, len(kind), size)]
        position = {row: n for n, row in enumerate(order)}
        return sorted(batches, key=lambda batch: position[batch[0]])

    def micro_batches(self, progress: Progress) -> list[list[int]]:
        """The row indices of each forward pass of the step ``progress.step`` (updating the epoch's order)."""
        epoch, within = divmod(progress.step, self.steps_per_epoch)
        if progress.order_epoch != epoch:
            progress.order, progress.order_epoch = self.order(epoch), epoch
        accum = self.options.grad_accum
        return self._batches(progress.order)[within * accum : (within + 1) * accum]

    def learning_rate(self, step: int) -> float:
        """Linear warm-up over the first steps, then linear decay towards 0 at the last step."""
        peak = self.options.learning_rate or 0.0
        if step < self.warmup:
            return peak * (step + 1) / self.warmup
        return peak * (self.total - step) / max(self.total - self.warmup, 1)
