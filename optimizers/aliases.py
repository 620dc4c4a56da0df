"""Named optimizers: each body validates once and returns a chain of transforms.

Names, defaults and update rules follow ``torch.optim`` (float64 trajectories agree with
PyTorch step for step); the other conventions lecturers teach are documented options.
``g_t`` is the gradient after weight decay (``g + lambda theta`` when it is coupled).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from . import specs as S
from . import transforms as T
from .base import HyperParam, Optimizer, Transform, chain, validate_hparams


@dataclass(frozen=True)
class OptimizerInfo:
    name: str
    title: Mapping[str, str]
    description: Mapping[str, str]
    specs: tuple[HyperParam, ...]
    build: Callable[[Mapping[str, Any]], tuple[Transform, str]]
    needs_hessian: bool = False


_REGISTRY: dict[str, OptimizerInfo] = {}


def _register(name, title_en, title_zh, description_en, description_zh, specs, needs_hessian=False):
    def decorator(build):
        _REGISTRY[name] = OptimizerInfo(
            name, {"en": title_en, "zh": title_zh}, {"en": description_en, "zh": description_zh},
            tuple(specs), build, needs_hessian,
        )
        return build

    return decorator


def list_optimizers() -> list[str]:
    """Names accepted by :func:`get_optimizer`, in teaching order."""
    return list(_REGISTRY)


def optimizer_info(name: str) -> OptimizerInfo:
    """Specs, titles (en/zh) and description of a named optimizer, without building it."""
    if name not in _REGISTRY:
        raise ValueError(f"Unknown optimizer {name!r}; valid names: {', '.join(_REGISTRY)}")
    return _REGISTRY[name]


def get_optimizer(name: str, **hparams: Any) -> Optimizer:
    """Build a validated optimizer, e.g. ``get_optimizer("adam", lr=0.01, betas=(0.9, 0.999))``.

    Invalid values raise ``ValueError`` with torch's wording (``Invalid learning rate: -1``).
    """
    info = optimizer_info(name)
    values = validate_hparams(name, info.specs, hparams)
    transform, rule = info.build(values)
    return Optimizer(name, values, transform, info.specs, rule, info.needs_hessian)


# ----------------------------------------------------------------------------- LaTeX

_GRADIENT = r"g_t &= \nabla f(\theta_t)"


def _rule(values: Mapping[str, Any], *lines: str, coupled_decay: bool = True) -> str:
    """Join update-rule lines into an ``aligned`` block; mention coupled weight decay."""
    first = _GRADIENT + (r" + \lambda\theta_t" if coupled_decay and values.get("weight_decay") else "")
    return r"\begin{aligned}" + r" \\ ".join((first, *lines)) + r"\end{aligned}"


def _root(values: Mapping[str, Any], inner: str) -> str:
    if values.get("eps_inside_sqrt"):
        return rf"\sqrt{{{inner} + \epsilon}}"
    return rf"\sqrt{{{inner}}} + \epsilon"


_SYMBOLS = {spec.name: spec.symbol for spec in vars(S).values() if isinstance(spec, HyperParam)}


def fill_rule(rule: str, values: Mapping[str, Any]) -> str:
    """The update rule with hyperparameter symbols replaced by their numbers."""
    for name, symbol in sorted(_SYMBOLS.items(), key=lambda item: -len(item[1])):
        if not symbol or name not in values or name == "betas":
            continue
        rule = re.sub(re.escape(symbol) + r"(?![A-Za-z_0-9])", _literal(_number(values[name])), rule)
    if "betas" in values:
        beta1, beta2 = values["betas"]
        rule = rule.replace(r"\beta_1", _number(beta1)).replace(r"\beta_2", _number(beta2))
    return rule


def _literal(text: str) -> Callable[[re.Match], str]:
    # a function replacement, so re.sub does not read "\\t" in "\\times" as a tab
    return lambda _match: text


def _number(value: Any) -> str:
    text = f"{float(value):.4g}"
    if "e" in text:
        mantissa, exponent = text.split("e")
        return rf"{{{mantissa}\times 10^{{{int(exponent)}}}}}"
    return f"{{{text}}}"


# ----------------------------------------------------------------------------- first order


def _with_decay(values: Mapping[str, Any], *transforms: Transform) -> Transform:
    decay = (T.add_decayed_weights(values["weight_decay"]),) if values.get("weight_decay") else ()
    return chain(*decay, *transforms)


def _check_nesterov(values: Mapping[str, Any]) -> None:
    if values["momentum"] <= 0 or values.get("dampening", 0.0) != 0:
        raise ValueError("Nesterov momentum requires a momentum and zero dampening")


_SGD_SPECS = (S.LR, S.MOMENTUM, S.DAMPENING, S.WEIGHT_DECAY, S.NESTEROV)


@_register(
    "sgd", "SGD", "随机梯度下降 SGD",
    "Plain gradient descent: step against the gradient, scaled by the learning rate.",
    "最朴素的梯度下降：沿负梯度方向走，步长由学习率决定。", _SGD_SPECS,
)
def _sgd(values):
    """torch.optim.SGD: ``b_t = mu b_{t-1} + (1-tau) g_t`` (``b_1 = g_1``);
    ``theta_{t+1} = theta_t - eta * (g_t + mu b_t if nesterov else b_t)``."""
    if values["nesterov"]:
        _check_nesterov(values)
    if values["momentum"] == 0:
        return _with_decay(values, T.scale_by_learning_rate()), _rule(
            values, r"\theta_{t+1} &= \theta_t - \eta\, g_t"
        )
    trace = T.trace(values["momentum"], values["dampening"], values["nesterov"])
    return _with_decay(values, trace, T.scale_by_learning_rate()), _momentum_rule(values)


def _momentum_rule(values):
    damp = r"(1-\tau)\," if values.get("dampening") else ""
    step = r"(g_t + \mu b_t)" if values.get("nesterov") else "b_t"
    return _rule(values, rf"b_t &= \mu b_{{t-1}} + {damp}g_t", rf"\theta_{{t+1}} &= \theta_t - \eta\, {step}")


@_register(
    "momentum", "Momentum", "动量法 Momentum",
    "Gradient descent with a velocity: past gradients keep pushing, so valleys are crossed faster and zig-zags cancel.",
    "带速度的梯度下降：历史梯度继续推动，穿越峡谷更快，来回震荡相互抵消。",
    (replace(S.LR, default=1e-2), replace(S.MOMENTUM, default=0.9), S.DAMPENING, S.WEIGHT_DECAY, S.MOMENTUM_CONVENTION),
)
def _momentum(values):
    """Heavy-ball momentum, three ways of writing it (``convention``):

    * ``torch``: ``b_t = mu b_{t-1} + (1-tau) g_t``, ``theta -= eta b_t`` (same as CS231n's
      ``v = rho v + dx; x -= lr v``);
    * ``keras``: ``m_t = mu m_{t-1} - eta g_t``, ``theta += m_t`` (equal to torch for a constant
      learning rate; under a schedule old velocity keeps the rate it was taken with);
    * ``ema``: ``v_t = mu v_{t-1} + (1-mu) g_t``, ``theta -= eta v_t`` (seed 002's moving average;
      ``v_t = (1-mu) b_t`` at every step, so it is torch's path with ``lr`` scaled by ``1-mu``).

    Dampening is torch's knob; the other two conventions have none and reject it.
    """
    mu = values["momentum"]
    if values["convention"] != "torch" and values["dampening"] != 0:
        raise ValueError(f"dampening applies only to the torch convention, not {values['convention']!r}")
    if values["convention"] == "keras":
        rule = _rule(values, r"m_t &= \mu m_{t-1} - \eta\, g_t", r"\theta_{t+1} &= \theta_t + m_t")
        return _with_decay(values, T.keras_momentum(mu)), rule
    if values["convention"] == "ema":
        rule = _rule(values, r"v_t &= \mu v_{t-1} + (1-\mu)\, g_t", r"\theta_{t+1} &= \theta_t - \eta\, v_t")
        return _with_decay(values, T.ema_momentum(mu), T.scale_by_learning_rate()), rule
    trace = T.trace(mu, values["dampening"], False)
    return _with_decay(values, trace, T.scale_by_learning_rate()), _momentum_rule(values)


@_register(
    "nesterov", "Nesterov", "Nesterov 动量",
    "Momentum that looks ahead: the gradient correction is applied where the velocity is about to carry you.",
    "向前看的动量：在速度即将到达的位置上修正梯度。",
    # Nesterov needs momentum > 0, so its slider starts above zero.
    (replace(S.LR, default=1e-2), replace(S.MOMENTUM, default=0.9, ui_low=0.01), S.WEIGHT_DECAY, S.NESTEROV_CONVENTION),
)
def _nesterov(values):
    """Nesterov momentum (``convention``):

    * ``torch``: ``b_t = mu b_{t-1} + g_t``, ``theta -= eta (g_t + mu b_t)``;
    * ``keras``: seed 000's ``v_t = rho v_{t-1} - eta g_t``, ``x += -rho v_{t-1} + (1+rho) v_t``,
      which is Keras' NAG (gradient at ``theta + rho v``) in the shifted variable
      ``x = theta + rho v``. For a constant rate both give the same points.
    """
    _check_nesterov(values)
    mu = values["momentum"]
    if values["convention"] == "keras":
        rule = _rule(
            values, r"v_t &= \mu v_{t-1} - \eta\, g_t",
            r"\theta_{t+1} &= \theta_t - \mu v_{t-1} + (1+\mu)\, v_t",
        )
        return _with_decay(values, T.keras_momentum(mu, nesterov=True)), rule
    trace = T.trace(mu, 0.0, True)
    return _with_decay(values, trace, T.scale_by_learning_rate()), _momentum_rule({**values, "nesterov": True})


@_register(
    "adagrad", "AdaGrad", "AdaGrad",
    "Per-coordinate step sizes from the sum of all past squared gradients: steep directions slow down, and every step shrinks over time.",
    "按坐标的步长：除以历史梯度平方和的平方根；陡的方向变慢，步长随时间不断缩小。",
    (replace(S.LR, default=1e-2), S.LR_DECAY, S.WEIGHT_DECAY, S.INITIAL_ACCUMULATOR_VALUE,
     replace(S.EPS, default=1e-10), S.EPS_INSIDE_SQRT),
)
def _adagrad(values):
    """torch.optim.Adagrad: ``G_t = G_{t-1} + g_t^2`` (``G_0`` = initial_accumulator_value);
    ``theta_{t+1} = theta_t - eta / (1 + (t-1) delta) * g_t / (sqrt(G_t) + eps)``.
    Seed 000 writes ``sqrt(G_t + 1e-7)``: ``eps_inside_sqrt=True, eps=1e-7``."""
    scale = T.scale_by_rss(
        values["initial_accumulator_value"], values["eps"], values["lr_decay"], values["eps_inside_sqrt"]
    )
    lr = r"\frac{\eta}{1 + (t-1)\delta}" if values["lr_decay"] else r"\eta"
    rule = _rule(values, r"G_t &= G_{t-1} + g_t^2", rf"\theta_{{t+1}} &= \theta_t - {lr}\, \frac{{g_t}}{{{_root(values, 'G_t')}}}")
    return _with_decay(values, scale, T.scale_by_learning_rate()), rule


@_register(
    "rmsprop", "RMSProp", "RMSProp",
    "AdaGrad with a leaky memory: a moving average of squared gradients, so step sizes adapt without dying out.",
    "带遗忘的 AdaGrad：用平方梯度的滑动平均，步长自适应而不会衰减到零。",
    (replace(S.LR, default=1e-2), S.ALPHA, S.EPS, S.WEIGHT_DECAY, S.MOMENTUM, S.CENTERED, S.EPS_INSIDE_SQRT),
)
def _rmsprop(values):
    """torch.optim.RMSprop: ``S_t = alpha S_{t-1} + (1-alpha) g_t^2``;
    centered: ``gbar_t = alpha gbar_{t-1} + (1-alpha) g_t``, ``S_t <- S_t - gbar_t^2``;
    ``d_t = g_t / (sqrt(S_t) + eps)``; with momentum ``b_t = mu b_{t-1} + d_t``,
    ``theta -= eta b_t``, else ``theta -= eta d_t``. Seed 002 writes ``sqrt(S + eps)``."""
    scale = T.scale_by_rms(values["alpha"], values["eps"], values["centered"], values["eps_inside_sqrt"])
    inner = r"S_t - \bar g_t^2" if values["centered"] else "S_t"
    lines = [r"S_t &= \alpha S_{t-1} + (1-\alpha)\, g_t^2"]
    if values["centered"]:
        lines.append(r"\bar g_t &= \alpha \bar g_{t-1} + (1-\alpha)\, g_t")
    step = rf"\frac{{g_t}}{{{_root(values, inner)}}}"
    pieces = [scale]
    if values["momentum"] > 0:
        pieces.append(T.trace(values["momentum"]))
        lines += [rf"b_t &= \mu b_{{t-1}} + {step}", r"\theta_{t+1} &= \theta_t - \eta\, b_t"]
    else:
        lines.append(rf"\theta_{{t+1}} &= \theta_t - \eta\, {step}")
    return _with_decay(values, *pieces, T.scale_by_learning_rate()), _rule(values, *lines)


@_register(
    "adadelta", "Adadelta", "Adadelta",
    "Step sizes from the ratio of past update size to past gradient size: units match, little tuning of the rate.",
    "步长来自历史更新量与历史梯度大小之比：量纲一致，几乎不用调学习率。",
    (replace(S.LR, default=1.0), S.RHO, replace(S.EPS, default=1e-6), S.WEIGHT_DECAY),
)
def _adadelta(values):
    """torch.optim.Adadelta: ``E[g^2]_t = rho E[g^2]_{t-1} + (1-rho) g_t^2``;
    ``dx_t = sqrt(E[dx^2]_{t-1} + eps) / sqrt(E[g^2]_t + eps) * g_t``;
    ``E[dx^2]_t = rho E[dx^2]_{t-1} + (1-rho) dx_t^2``; ``theta -= eta dx_t``."""
    rule = _rule(
        values,
        r"E[g^2]_t &= \rho E[g^2]_{t-1} + (1-\rho)\, g_t^2",
        r"\Delta_t &= \frac{\sqrt{E[\Delta^2]_{t-1} + \epsilon}}{\sqrt{E[g^2]_t + \epsilon}}\, g_t",
        r"E[\Delta^2]_t &= \rho E[\Delta^2]_{t-1} + (1-\rho)\, \Delta_t^2",
        r"\theta_{t+1} &= \theta_t - \eta\, \Delta_t",
    )
    scale = T.scale_by_adadelta(values["rho"], values["eps"])
    return _with_decay(values, scale, T.scale_by_learning_rate()), rule


_ADAM_SPECS = (S.LR, S.BETAS, S.EPS, S.WEIGHT_DECAY, S.AMSGRAD, S.BIAS_CORRECTION, S.EPS_INSIDE_SQRT)


def _adam_rule(values, decoupled=False):
    second = r"\max(\hat v_{t-1}, v_t)" if values["amsgrad"] else "v_t"
    if values.get("bias_correction", True):
        lines = [
            r"m_t &= \beta_1 m_{t-1} + (1-\beta_1)\, g_t",
            r"v_t &= \beta_2 v_{t-1} + (1-\beta_2)\, g_t^2",
            r"\hat m_t &= m_t / (1-\beta_1^t),\quad \hat v_t = " + second + r" / (1-\beta_2^t)",
            r"\theta_{t+1} &= \theta_t - \eta\, \frac{\hat m_t}{" + _root(values, r"\hat v_t") + "}",
        ]
    else:
        lines = [
            r"m_t &= \beta_1 m_{t-1} + (1-\beta_1)\, g_t",
            r"v_t &= \beta_2 v_{t-1} + (1-\beta_2)\, g_t^2",
            r"\theta_{t+1} &= \theta_t - \eta\, \frac{m_t}{" + _root(values, second) + "}",
        ]
    if decoupled:
        lines[-1] += r" - \eta\lambda\theta_t"
    return _rule(values, *lines, coupled_decay=not decoupled)


def _adam_scale(values):
    beta1, beta2 = values["betas"]
    return T.scale_by_adam(
        beta1, beta2, values["eps"], values["amsgrad"],
        values.get("bias_correction", True), values.get("eps_inside_sqrt", False),
    )


@_register(
    "adam", "Adam", "Adam",
    "Momentum plus RMSProp: a moving average of gradients divided by the root of a moving average of squared gradients, both bias-corrected.",
    "动量 + RMSProp：梯度的滑动平均除以平方梯度滑动平均的平方根，二者都做偏差修正。",
    _ADAM_SPECS,
)
def _adam(values):
    """torch.optim.Adam: ``m_t = b1 m + (1-b1) g``, ``v_t = b2 v + (1-b2) g^2``;
    ``theta -= eta/(1-b1^t) * m_t / (sqrt(v_t)/sqrt(1-b2^t) + eps)``; AMSGrad keeps
    ``max(v)``. ``bias_correction=False`` is seed 000's "Adam (almost)";
    ``eps_inside_sqrt=True`` is seed 003's ``sqrt(v_hat + eps)``."""
    return _with_decay(values, _adam_scale(values), T.scale_by_learning_rate()), _adam_rule(values)


@_register(
    "adamw", "AdamW", "AdamW",
    "Adam with decoupled weight decay: the decay shrinks the weights directly instead of passing through the adaptive scaling.",
    "解耦权重衰减的 Adam：衰减直接作用在参数上，不经过自适应缩放。",
    (S.LR, S.BETAS, S.EPS, replace(S.WEIGHT_DECAY, default=1e-2), S.AMSGRAD),
)
def _adamw(values):
    """torch.optim.AdamW: Adam, then ``theta -= eta lambda theta`` (decoupled, before the step)."""
    pieces = [_adam_scale(values), T.scale_by_learning_rate()]
    if values["weight_decay"]:
        pieces.append(T.add_decoupled_weight_decay(values["weight_decay"]))
    return chain(*pieces), _adam_rule(values, decoupled=True)


@_register(
    "adamax", "AdaMax", "AdaMax",
    "Adam with the infinity norm: divides by a decaying maximum of |g| instead of a root mean square.",
    "使用无穷范数的 Adam：除以 |g| 的衰减最大值，而不是均方根。",
    (replace(S.LR, default=2e-3), S.BETAS, S.EPS, S.WEIGHT_DECAY),
)
def _adamax(values):
    """torch.optim.Adamax: ``m_t = b1 m + (1-b1) g``, ``u_t = max(b2 u, |g| + eps)``;
    ``theta -= eta/(1-b1^t) * m_t / u_t``."""
    beta1, beta2 = values["betas"]
    rule = _rule(
        values,
        r"m_t &= \beta_1 m_{t-1} + (1-\beta_1)\, g_t",
        r"u_t &= \max(\beta_2 u_{t-1},\ |g_t| + \epsilon)",
        r"\theta_{t+1} &= \theta_t - \frac{\eta}{1-\beta_1^t}\, \frac{m_t}{u_t}",
    )
    scale = T.scale_by_adamax(beta1, beta2, values["eps"])
    return _with_decay(values, scale, T.scale_by_learning_rate()), rule


@_register(
    "nadam", "NAdam", "NAdam",
    "Adam with Nesterov momentum: the momentum part of the step already uses the next step's momentum.",
    "带 Nesterov 动量的 Adam：动量部分提前使用下一步的动量系数。",
    (replace(S.LR, default=2e-3), S.BETAS, S.EPS, S.WEIGHT_DECAY, S.MOMENTUM_DECAY, S.DECOUPLED_WEIGHT_DECAY),
)
def _nadam(values):
    """torch.optim.NAdam: ``mu_t = b1 (1 - 0.5 * 0.96^(t psi))``;
    ``theta -= eta [(1-mu_t)/(1-prod_{i<=t} mu_i) g_t + mu_{t+1}/(1-prod_{i<=t+1} mu_i) m_t]
    / (sqrt(v_t/(1-b2^t)) + eps)``."""
    beta1, beta2 = values["betas"]
    scale = T.scale_by_nadam(beta1, beta2, values["eps"], values["momentum_decay"])
    decoupled = values["decoupled_weight_decay"]
    rule = _rule(
        values,
        r"\mu_t &= \beta_1 \left(1 - \tfrac12\, 0.96^{t\psi}\right)",
        r"m_t &= \beta_1 m_{t-1} + (1-\beta_1)\, g_t,\quad v_t = \beta_2 v_{t-1} + (1-\beta_2)\, g_t^2",
        r"\theta_{t+1} &= \theta_t - \eta\, \frac{\frac{1-\mu_t}{1-\prod_{i\le t}\mu_i} g_t + \frac{\mu_{t+1}}{1-\prod_{i\le t+1}\mu_i} m_t}{\sqrt{v_t/(1-\beta_2^t)} + \epsilon}"
        + (r" - \eta\lambda\theta_t" if decoupled and values["weight_decay"] else ""),
        coupled_decay=not decoupled,
    )
    if decoupled and values["weight_decay"]:
        return chain(scale, T.scale_by_learning_rate(), T.add_decoupled_weight_decay(values["weight_decay"])), rule
    return _with_decay(values, scale, T.scale_by_learning_rate()), rule


@_register(
    "newton", "Newton", "牛顿法",
    "Second-order step: solve H d = g with the surface's Hessian. It jumps to the nearest stationary point, saddles included.",
    "二阶方法：用曲面的 Hessian 解 H d = g。它会跳向最近的驻点，包括鞍点。",
    (replace(S.LR, default=1.0), S.DAMPING, S.SADDLE_FREE, S.WEIGHT_DECAY),
    needs_hessian=True,
)
def _newton(values):
    """Damped Newton (seed 004's second-order view):
    ``theta -= eta (H_t + (gamma + lambda) I)^{-1} (g_t + lambda theta_t)``: Newton on
    ``f + lambda/2 |theta|^2`` (weight decay adds ``lambda I`` to the Hessian too), with
    Levenberg damping ``gamma``; ``saddle_free`` uses ``|H_t|``."""
    hessian = r"|H_t|" if values["saddle_free"] else "H_t"
    damping = "".join(
        term for term, on in ((r" + \gamma I", values["damping"]), (r" + \lambda I", values["weight_decay"])) if on
    )
    rule = _rule(
        values, r"H_t &= \nabla^2 f(\theta_t)",
        rf"\theta_{{t+1}} &= \theta_t - \eta\, ({hessian}{damping})^{{-1}} g_t",
    )
    solve = T.precondition_by_newton(values["damping"] + values["weight_decay"], values["saddle_free"])
    return _with_decay(values, solve, T.scale_by_learning_rate()), rule
