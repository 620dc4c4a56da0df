"""Mini-batch gradients (seeds 002 and 003), seeded and reproducible: a Gaussian model for
analytic surfaces, and real batches of examples for surfaces made from data.

The model: a mini-batch gradient is the full gradient plus the mean of ``batch_size`` independent
per-example deviations, each with standard deviation ``noise`` per coordinate. Its
variance is ``noise**2 / batch_size``: a batch k times larger has k times less variance,
which is why it tolerates a larger learning rate (the linear scaling rule).

The real thing (:class:`MinibatchSampler`): on a data surface the batch is a sample of the
examples drawn without replacement, so the variance also shrinks by the finite-population
factor (N - b)/(N - 1) and vanishes at the full batch, and its shape follows the data.
"""

from __future__ import annotations

import math

import numpy as np


def minibatch_noise_std(noise: float, batch_size: int) -> float:
    """Standard deviation per coordinate of the mini-batch gradient's error."""
    return noise / math.sqrt(batch_size)


def sample_gradient_noise(rng: np.random.Generator, shape: tuple[int, ...], noise: float, batch_size: int) -> np.ndarray:
    """One draw of mini-batch noise for a (B, 2) gradient."""
    return minibatch_noise_std(noise, batch_size) * rng.standard_normal(shape)


# --------------------------------------------------------------------------------------
# Real mini-batches, for surfaces made from data (duck-typed: ``n_examples``, ``batch_grad``)
# --------------------------------------------------------------------------------------

# Tag mixed into the seed, so the batch order is a stream of its own, independent of the
# Gaussian noise drawn from ``default_rng(seed)``.
_BATCH_STREAM = 0x6D696E69
MAX_ORDER_ELEMENTS = 1 << 26  # starts x examples held per epoch (int32: 256 MiB)


def batch_seed(seed) -> int:
    """The integer key of the batch stream: ``seed`` itself when it is an integer >= 0,
    otherwise one draw from ``default_rng(seed)`` (None gives fresh entropy)."""
    if isinstance(seed, int | np.integer) and not isinstance(seed, bool) and seed >= 0:
        return int(seed)
    return int(np.random.default_rng(seed).integers(2**63))


def epoch_order(seed: int, epoch: int, n_rows: int, n_examples: int) -> np.ndarray:
    """The example order of epoch ``epoch`` for each row: (n_rows, N), each row an
    independent uniform permutation of 0 .. N-1.

    Drawn from ``default_rng([tag, seed, epoch])``, one row after the other, so an epoch's
    order does not depend on how many steps came before, and row 0 of a many-start run is
    the order a single-start run with the same seed sees.
    """
    rng = np.random.default_rng([_BATCH_STREAM, int(seed), int(epoch)])
    dtype = np.int32 if n_examples < 2**31 else np.int64
    return rng.permuted(np.broadcast_to(np.arange(n_examples, dtype=dtype), (n_rows, n_examples)), axis=1)


class MinibatchSampler:
    """Mini-batches drawn without replacement and reshuffled each epoch, as a
    ``torch.utils.data.DataLoader(shuffle=True, drop_last=False)`` draws them.

    Each row (start) walks through its own permutation of the N examples (see
    :func:`epoch_order`) in batches of ``b = min(batch_size, N)``; an epoch is
    ``ceil(N / b)`` steps and its last batch holds the remaining ``N - (ceil(N/b) - 1) b``
    examples. Every row is at the same place in its epoch, so a step's indices form one
    (n_rows, b_t) array. A batch is a simple random sample of the N examples: its mean
    gradient is unbiased with covariance ``(1/b)(N - b)/(N - 1) Sigma`` (Sigma the
    per-example gradient covariance), and the means of one epoch's batches, weighted by
    their sizes, are exactly the full gradient.
    """

    def __init__(self, n_examples: int, batch_size: int, n_rows: int, seed) -> None:
        self.n_examples = int(n_examples)
        self.batch_size = min(int(batch_size), self.n_examples)
        self.n_rows = int(n_rows)
        self.seed = batch_seed(seed)
        self.steps_per_epoch = -(-self.n_examples // self.batch_size)
        self._epoch, self._order = -1, None

    def indices(self, step: int) -> np.ndarray:
        """The examples of step ``step`` (0-based): (n_rows, b_t) integers."""
        epoch, k = divmod(int(step), self.steps_per_epoch)
        if epoch != self._epoch:
            self._epoch, self._order = epoch, epoch_order(self.seed, epoch, self.n_rows, self.n_examples)
        return self._order[:, k * self.batch_size:(k + 1) * self.batch_size]


def minibatch_indices(n_examples: int, batch_size: int, steps: int, seed=0, n_rows: int = 1) -> list[np.ndarray]:
    """The batches ``run(..., batch_size=, seed=)`` uses on a data surface with N examples:
    one (n_rows, b_t) array per step, for replaying the same order elsewhere (e.g. torch)."""
    sampler = MinibatchSampler(n_examples, batch_size, n_rows, seed)
    return [sampler.indices(t) for t in range(steps)]
