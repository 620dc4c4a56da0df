"""Hyperparameter specs shared by the named optimizers (names and defaults as in torch.optim).

One spec per idea; an optimizer whose default differs takes ``replace(SPEC, default=...)``.
``valid_*`` mirror torch's checks (and its error wording); ``ui_*`` is what a slider offers.
"""

from __future__ import annotations

from dataclasses import replace

from .base import HyperParam

LR = HyperParam(
    "lr", 1e-3, r"\eta", "Learning rate: how far each step goes.", "学习率：每一步走多远。",
    valid_low=0.0, ui_low=1e-4, ui_high=10.0, log=True, error="Invalid learning rate: {value}",
)
MOMENTUM = HyperParam(
    "momentum", 0.0, r"\mu", "Momentum: how much of the previous step is kept.",
    "动量：保留多少上一步的速度。",
    valid_low=0.0, ui_low=0.0, ui_high=0.999, error="Invalid momentum value: {value}",
)
DAMPENING = HyperParam(
    "dampening", 0.0, r"\tau", "Dampening: scales the new gradient added to the momentum buffer by 1 - tau.",
    "阻尼：新梯度以 1 - tau 的比例加入动量。",
    valid_low=0.0, valid_high=1.0, ui_low=0.0, ui_high=1.0,
)
NESTEROV = HyperParam(
    "nesterov", False, "", "Nesterov momentum: look ahead along the momentum before using the gradient.",
    "Nesterov 动量：先沿动量方向向前看，再用梯度修正。", kind="bool",
)
WEIGHT_DECAY = HyperParam(
    "weight_decay", 0.0, r"\lambda", "Weight decay (L2 penalty added to the gradient).",
    "权重衰减（加到梯度上的 L2 惩罚）。",
    valid_low=0.0, ui_low=0.0, ui_high=1.0, error="Invalid weight_decay value: {value}",
)
EPS = HyperParam(
    "eps", 1e-8, r"\epsilon", "Epsilon: keeps the division finite when the gradient history is tiny.",
    "epsilon：梯度历史很小时防止除以零。",
    valid_low=0.0, ui_low=1e-12, ui_high=1e-1, log=True, error="Invalid epsilon value: {value}",
)
BETAS = HyperParam(
    "betas", (0.9, 0.999), r"\beta_1, \beta_2",
    "Decay rates of the first moment (mean) and second moment (mean square) of the gradient.",
    "一阶矩（均值）与二阶矩（平方均值）的衰减率。",
    kind="pair", valid_low=0.0, valid_high=1.0, high_inclusive=False, ui_low=0.0, ui_high=0.9999,
)
ALPHA = HyperParam(
    "alpha", 0.99, r"\alpha", "Smoothing constant of the running mean of squared gradients.",
    "平方梯度滑动平均的平滑常数。",
    valid_low=0.0, ui_low=0.0, ui_high=0.9999, error="Invalid alpha value: {value}",
)
CENTERED = HyperParam(
    "centered", False, "", "Centered: divide by the estimated variance of the gradient instead of its mean square.",
    "中心化：用梯度方差而不是平方均值做归一化。", kind="bool",
)
RHO = HyperParam(
    "rho", 0.9, r"\rho", "Decay rate of the running averages of squared gradients and squared updates.",
    "平方梯度与平方更新量滑动平均的衰减率。",
    valid_low=0.0, valid_high=1.0, ui_low=0.0, ui_high=1.0, error="Invalid rho value: {value}",
)
LR_DECAY = HyperParam(
    "lr_decay", 0.0, r"\delta", "Learning-rate decay: lr / (1 + (t - 1) * lr_decay).",
    "学习率衰减：lr / (1 + (t - 1) * lr_decay)。",
    valid_low=0.0, ui_low=0.0, ui_high=1.0, error="Invalid lr_decay value: {value}",
)
INITIAL_ACCUMULATOR_VALUE = HyperParam(
    "initial_accumulator_value", 0.0, r"G_0", "Starting value of the sum of squared gradients.",
    "平方梯度累加和的初始值。",
    valid_low=0.0, ui_low=0.0, ui_high=1.0,
    error="Invalid initial_accumulator_value value: {value}",
)
AMSGRAD = HyperParam(
    "amsgrad", False, "", "AMSGrad: divide by the largest second moment seen so far (never shrinks the denominator).",
    "AMSGrad：使用历史最大的二阶矩（分母不会变小）。", kind="bool",
)
MOMENTUM_DECAY = HyperParam(
    "momentum_decay", 4e-3, r"\psi", "NAdam's momentum schedule: mu_t = beta1 (1 - 0.5 * 0.96^(t psi)).",
    "NAdam 的动量调度：mu_t = beta1 (1 - 0.5 * 0.96^(t psi))。",
    valid_low=0.0, ui_low=0.0, ui_high=0.1, error="Invalid momentum_decay value: {value}",
)
DECOUPLED_WEIGHT_DECAY = HyperParam(
    "decoupled_weight_decay", False, "", "Decoupled weight decay (as AdamW) instead of L2 in the gradient.",
    "解耦的权重衰减（同 AdamW），而不是加到梯度里的 L2。", kind="bool",
)
BIAS_CORRECTION = HyperParam(
    "bias_correction", True, "", "Bias correction of the moments; off gives seed 000's \"Adam (almost)\".",
    "矩估计的偏差修正；关闭即讲义中的 “Adam（almost）”。", kind="bool",
)
EPS_INSIDE_SQRT = HyperParam(
    "eps_inside_sqrt", False, "", "Put epsilon inside the square root, sqrt(s + eps), as some lecture notes write it (torch: sqrt(s) + eps).",
    "把 epsilon 放进平方根里 sqrt(s + eps)（部分讲义的写法；torch 为 sqrt(s) + eps）。", kind="bool",
)
MOMENTUM_CONVENTION = HyperParam(
    "convention", "torch", "", "How the momentum buffer is written.", "动量的写法。",
    kind="choice", choices=("torch", "keras", "ema"),
    choice_help={
        "torch": {"en": "b = mu b + g;  theta -= lr b (PyTorch, CS231n)", "zh": "b = mu b + g；theta -= lr b（PyTorch、CS231n）"},
        "keras": {"en": "m = beta m - lr g;  theta += m (Keras)", "zh": "m = beta m - lr g；theta += m（Keras）"},
        "ema": {"en": "v = beta v + (1 - beta) g;  theta -= lr v (moving average)", "zh": "v = beta v + (1 - beta) g；theta -= lr v（指数滑动平均）"},
    },
)
NESTEROV_CONVENTION = replace(
    MOMENTUM_CONVENTION, choices=("torch", "keras"),
    choice_help={
        "torch": {"en": "b = mu b + g;  theta -= lr (g + mu b) (PyTorch)", "zh": "b = mu b + g；theta -= lr (g + mu b)（PyTorch）"},
        "keras": {"en": "v = rho v - lr g;  theta += -rho v_old + (1 + rho) v (CS231n, Keras NAG)", "zh": "v = rho v - lr g；theta += -rho v_old + (1 + rho) v（CS231n、Keras NAG）"},
    },
)
DAMPING = HyperParam(
    "damping", 0.0, r"\gamma", "Damping added to the Hessian's diagonal (Levenberg); 0 is pure Newton.",
    "加到 Hessian 对角线上的阻尼（Levenberg）；0 即纯牛顿法。",
    valid_low=0.0, ui_low=0.0, ui_high=10.0, error="Invalid damping value: {value}",
)
SADDLE_FREE = HyperParam(
    "saddle_free", False, "", "Saddle-free Newton: use |H| (absolute eigenvalues), so saddles repel instead of attract.",
    "无鞍点牛顿法：用 |H|（特征值取绝对值），鞍点由吸引变为排斥。", kind="bool",
)
