"""Small composable pieces that named optimizers are chained from.

Each function returns a :class:`~optimizers.base.Transform`. Arrays are (B, 2); all
arithmetic is elementwise or per row, so rows never interact. The order of floating-point
operations follows ``torch.optim``'s single-tensor code where that is cheap, so that
trajectories agree with PyTorch to float64 rounding.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .base import StepContext, Transform, stateless


def lerp(start: np.ndarray, end: np.ndarray, weight: float) -> np.ndarray:
    """``start + weight * (end - start)``, rounded as torch's ``lerp`` rounds it: from the
    nearer end, so ``weight = 1`` (beta = 0) gives ``end`` exactly."""
    if weight < 0.5:
        return start + weight * (end - start)
    return end - (end - start) * (1 - weight)


# ----------------------------------------------------------------------------- scaling


def scale_by_learning_rate() -> Transform:
    """``u <- -lr * u``: the step's (possibly scheduled) learning rate, sign for descent."""
    return stateless(lambda updates, params, ctx: -ctx.lr * updates)


def add_decayed_weights(weight_decay: float) -> Transform:
    """Coupled L2 decay as in torch: ``g <- g + weight_decay * theta`` (before any moments)."""
    return stateless(lambda updates, params, ctx: updates + weight_decay * params)


def add_decoupled_weight_decay(weight_decay: float) -> Transform:
    """AdamW's decoupled decay, placed after the learning-rate scaling:
    ``u <- u - lr * weight_decay * theta`` (torch: ``theta.mul_(1 - lr * weight_decay)``)."""
    return stateless(lambda updates, params, ctx: updates - (ctx.lr * weight_decay) * params)


# ----------------------------------------------------------------------------- momentum


class TraceState(NamedTuple):
    count: int
    momentum_buffer: np.ndarray


def trace(momentum: float, dampening: float = 0.0, nesterov: bool = False) -> Transform:
    """torch.optim.SGD's momentum buffer.

    ``b_1 = g_1``; ``b_t = mu * b_{t-1} + (1 - dampening) * g_t``;
    output ``g_t + mu * b_t`` if nesterov else ``b_t``.
    """

    def init(params):
        return TraceState(0, np.zeros_like(params))

    def update(grads, state, params, ctx):
        if state.count == 0:  # torch starts the buffer at the first gradient, undamped
            buffer = grads.copy()
        else:
            buffer = momentum * state.momentum_buffer + (1 - dampening) * grads
        out = grads + momentum * buffer if nesterov else buffer
        return out, TraceState(state.count + 1, buffer)

    def inspect(state, ctx):
        return {"momentum": state.momentum_buffer}

    return Transform(init, update, inspect)


class VelocityState(NamedTuple):
    velocity: np.ndarray


def keras_momentum(momentum: float, nesterov: bool = False) -> Transform:
    """Keras / CS231n form with the learning rate inside the velocity (already a step).

    ``v_t = beta * v_{t-1} - lr * g_t``; update ``v_t``, or with nesterov (seed 000)
    ``-beta * v_{t-1} + (1 + beta) * v_t``. For a constant learning rate this is the
    same trajectory as torch's; under a schedule old velocity keeps its old rate.
    """

    def init(params):
        return VelocityState(np.zeros_like(params))

    def update(grads, state, params, ctx):
        velocity = momentum * state.velocity - ctx.lr * grads
        if nesterov:
            out = -momentum * state.velocity + (1 + momentum) * velocity
        else:
            out = velocity
        return out, VelocityState(velocity)

    def inspect(state, ctx):
        # Report in gradient units, like the other momentum buffers.
        return {"momentum": state.velocity / -ctx.lr if ctx.lr else state.velocity}

    return Transform(init, update, inspect)


class EmaState(NamedTuple):
    count: int
    ema: np.ndarray


def ema_momentum(beta: float) -> Transform:
    """Exponential moving average of gradients (seed 002): ``v_t = beta*v_{t-1} + (1-beta)*g_t``,
    ``v_0 = 0``; about ``1/(1-beta)`` gradients are averaged, so steps start small."""

    def init(params):
        return EmaState(0, np.zeros_like(params))

    def update(grads, state, params, ctx):
        ema = beta * state.ema + (1 - beta) * grads
        return ema, EmaState(state.count + 1, ema)

    def inspect(state, ctx):
        return {"momentum": state.ema}

    return Transform(init, update, inspect)


# ----------------------------------------------------------------------------- adaptive


def _root(value: np.ndarray, eps: float, eps_inside_sqrt: bool) -> np.ndarray:
    """torch puts eps outside the root (``sqrt(s) + eps``); several lecture notes write
    ``sqrt(s + eps)``; both are offered."""
    return np.sqrt(value + eps) if eps_inside_sqrt else np.sqrt(value) + eps


class SumOfSquaresState(NamedTuple):
    count: int
    sum_of_squares: np.ndarray


def scale_by_rss(
    initial_accumulator_value: float = 0.0,
    eps: float = 1e-10,
    lr_decay: float = 0.0,
    eps_inside_sqrt: bool = False,
) -> Transform:
    """AdaGrad: ``G_t = G_{t-1} + g_t^2``; output ``g_t / (sqrt(G_t) + eps) / (1 + (t-1)*lr_decay)``."""

    def init(params):
        return SumOfSquaresState(0, np.full_like(params, initial_accumulator_value))

    def decay(count):
        return 1.0 / (1 + (count - 1) * lr_decay)

    def update(grads, state, params, ctx):
        count = state.count + 1
        total = state.sum_of_squares + grads * grads
        out = grads / _root(total, eps, eps_inside_sqrt)
        if lr_decay:
            out = out * decay(count)
        return out, SumOfSquaresState(count, total)

    def inspect(state, ctx):
        scale = ctx.lr * decay(max(state.count, 1))
        return {"step_size": scale / _root(state.sum_of_squares, eps, eps_inside_sqrt)}

    return Transform(init, update, inspect)


class RmsState(NamedTuple):
    square_avg: np.ndarray
    grad_avg: np.ndarray


def scale_by_rms(
    alpha: float = 0.99, eps: float = 1e-8, centered: bool = False, eps_inside_sqrt: bool = False
) -> Transform:
    """RMSProp: ``S_t = alpha*S_{t-1} + (1-alpha)*g_t^2``; output ``g_t / (sqrt(S_t) + eps)``.
    Centered: subtract the squared running mean of g, ``sqrt(S_t - gbar_t^2)``."""

    def init(params):
        return RmsState(np.zeros_like(params), np.zeros_like(params))

    def denominator(state):
        variance = state.square_avg
        if centered:
            variance = variance - state.grad_avg * state.grad_avg
        return _root(variance, eps, eps_inside_sqrt)

    def update(grads, state, params, ctx):
        square_avg = state.square_avg * alpha + (1 - alpha) * (grads * grads)
        grad_avg = lerp(state.grad_avg, grads, 1 - alpha) if centered else state.grad_avg
        new_state = RmsState(square_avg, grad_avg)
        return grads / denominator(new_state), new_state

    def inspect(state, ctx):
        return {"step_size": ctx.lr / denominator(state)}

    return Transform(init, update, inspect)


class AdamState(NamedTuple):
    count: int
    mu: np.ndarray
    nu: np.ndarray
    nu_max: np.ndarray


def scale_by_adam(
    b1: float = 0.9,
    b2: float = 0.999,
    eps: float = 1e-8,
    amsgrad: bool = False,
    bias_correction: bool = True,
    eps_inside_sqrt: bool = False,
) -> Transform:
    """Adam's moments: ``m_t = b1*m + (1-b1)*g``, ``v_t = b2*v + (1-b2)*g^2``;
    output ``(m_t / (1-b1^t)) / (sqrt(v_t / (1-b2^t)) + eps)``. AMSGrad uses the running
    max of ``v_t``; without bias correction ("Adam almost", seed 000) the two divisors are 1."""

    def init(params):
        return AdamState(0, np.zeros_like(params), np.zeros_like(params), np.zeros_like(params))

    def corrections(count):
        if not bias_correction:
            return 1.0, 1.0
        return 1 - b1**count, 1 - b2**count

    def denominator(state):
        second = state.nu_max if amsgrad else state.nu
        _, bc2 = corrections(state.count)
        if eps_inside_sqrt:
            return np.sqrt(second / bc2 + eps)
        return np.sqrt(second) / bc2**0.5 + eps

    def update(grads, state, params, ctx):
        count = state.count + 1
        mu = lerp(state.mu, grads, 1 - b1)
        nu = state.nu * b2 + (1 - b2) * (grads * grads)
        nu_max = np.maximum(state.nu_max, nu) if amsgrad else state.nu_max
        new_state = AdamState(count, mu, nu, nu_max)
        bc1, _ = corrections(count)
        return mu / denominator(new_state) / bc1, new_state

    def inspect(state, ctx):
        if state.count == 0:
            return {"momentum": state.mu}
        bc1, _ = corrections(state.count)
        return {"momentum": state.mu / bc1, "step_size": ctx.lr / denominator(state)}

    return Transform(init, update, inspect)


class AdamaxState(NamedTuple):
    count: int
    mu: np.ndarray
    u: np.ndarray


def scale_by_adamax(b1: float = 0.9, b2: float = 0.999, eps: float = 1e-8) -> Transform:
    """AdaMax: ``m_t = b1*m + (1-b1)*g``, ``u_t = max(b2*u_{t-1}, |g_t| + eps)``;
    output ``m_t / u_t / (1 - b1^t)``."""

    def init(params):
        return AdamaxState(0, np.zeros_like(params), np.zeros_like(params))

    def update(grads, state, params, ctx):
        count = state.count + 1
        mu = lerp(state.mu, grads, 1 - b1)
        u = np.maximum(state.u * b2, np.abs(grads) + eps)
        return mu / u / (1 - b1**count), AdamaxState(count, mu, u)

    def inspect(state, ctx):
        if state.count == 0:
            return {"momentum": state.mu}
        bc1 = 1 - b1**state.count
        return {"momentum": state.mu / bc1, "step_size": ctx.lr / state.u}

    return Transform(init, update, inspect)


class NadamState(NamedTuple):
    count: int
    mu_product: float
    mu: np.ndarray
    nu: np.ndarray


def scale_by_nadam(
    b1: float = 0.9, b2: float = 0.999, eps: float = 1e-8, momentum_decay: float = 4e-3
) -> Transform:
    """NAdam (torch): momentum schedule ``mu_t = b1 * (1 - 0.5 * 0.96^(t * psi))``;
    output ``(1-mu_t)/(1-prod_{i<=t} mu_i) * g/d + mu_{t+1}/(1-prod_{i<=t+1} mu_i) * m_t/d``
    with ``d = sqrt(v_t / (1-b2^t)) + eps``."""

    def init(params):
        return NadamState(0, 1.0, np.zeros_like(params), np.zeros_like(params))

    def momentum_at(step):
        return b1 * (1.0 - 0.5 * (0.96 ** (step * momentum_decay)))

    def update(grads, state, params, ctx):
        count = state.count + 1
        mu_t, mu_next = momentum_at(count), momentum_at(count + 1)
        mu_product = state.mu_product * mu_t
        mu_product_next = mu_product * mu_next
        mu = lerp(state.mu, grads, 1 - b1)
        nu = state.nu * b2 + (1 - b2) * (grads * grads)
        denom = np.sqrt(nu / (1 - b2**count)) + eps
        out = ((1.0 - mu_t) / (1.0 - mu_product)) * (grads / denom) + (
            mu_next / (1.0 - mu_product_next)
        ) * (mu / denom)
        return out, NadamState(count, mu_product, mu, nu)

    def inspect(state, ctx):
        if state.count == 0:
            return {"momentum": state.mu}
        denom = np.sqrt(state.nu / (1 - b2**state.count)) + eps
        # bias-corrected like Adam's, so the arrows of both mean the same
        return {"momentum": state.mu / (1 - b1**state.count), "step_size": ctx.lr / denom}

    return Transform(init, update, inspect)


class AdadeltaState(NamedTuple):
    square_avg: np.ndarray
    acc_delta: np.ndarray


def scale_by_adadelta(rho: float = 0.9, eps: float = 1e-6) -> Transform:
    """Adadelta: ``E[g^2]_t = rho*E[g^2] + (1-rho)*g^2``;
    ``dx_t = sqrt(E[dx^2]_{t-1} + eps) / sqrt(E[g^2]_t + eps) * g_t``;
    ``E[dx^2]_t = rho*E[dx^2] + (1-rho)*dx_t^2``; output ``dx_t`` (torch then scales by lr)."""

    def init(params):
        return AdadeltaState(np.zeros_like(params), np.zeros_like(params))

    def update(grads, state, params, ctx):
        square_avg = state.square_avg * rho + (1 - rho) * (grads * grads)
        std = np.sqrt(square_avg + eps)
        delta = np.sqrt(state.acc_delta + eps) / std * grads
        acc_delta = state.acc_delta * rho + (1 - rho) * (delta * delta)
        return delta, AdadeltaState(square_avg, acc_delta)

    def inspect(state, ctx):
        ratio = np.sqrt(state.acc_delta + eps) / np.sqrt(state.square_avg + eps)
        return {"step_size": ctx.lr * ratio}

    return Transform(init, update, inspect)


# ----------------------------------------------------------------------------- second order


def precondition_by_newton(damping: float = 0.0, absolute_eigenvalues: bool = False) -> Transform:
    """Newton direction ``(H + damping*I)^{-1} g`` from ``ctx.hessian`` (B, 2, 2).

    Plain Newton solves for a stationary point, so near a saddle it steps *towards* it.
    With ``absolute_eigenvalues`` (saddle-free Newton) ``H`` is replaced by ``|H|``
    (eigenvalues made positive), which turns that attraction into repulsion.
    A singular system gives a non-finite step, which the runner reports as divergence.
    """

    def solve(grads: np.ndarray, ctx: StepContext) -> np.ndarray:
        if ctx.hessian is None:
            raise ValueError("newton needs the surface's Hessian (ctx.hessian is None)")
        hessian = ctx.hessian
        if absolute_eigenvalues:
            values, vectors = np.linalg.eigh(hessian)
            hessian = (vectors * np.abs(values)[..., None, :]) @ np.swapaxes(vectors, -1, -2)
        a = hessian[..., 0, 0] + damping
        b = hessian[..., 0, 1]
        c = hessian[..., 1, 0]
        d = hessian[..., 1, 1] + damping
        det = a * d - b * c
        gx, gy = grads[..., 0], grads[..., 1]
        return np.stack([(d * gx - b * gy) / det, (a * gy - c * gx) / det], axis=-1)

    return stateless(lambda updates, params, ctx: solve(updates, ctx))
