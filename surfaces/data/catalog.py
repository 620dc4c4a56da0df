"""The library's data surfaces, all on Fisher's iris data (``iris.csv`` beside this file;
source and licence in ``README.md``). Read once, at first use; nothing is downloaded.

* ``data_linreg``: petal width ~ w * petal length + b, mean squared error, 150 flowers.
* ``data_logreg``: virginica (1) vs versicolor (0) from standardized petal length and
  width, two weights and no bias, mean logistic loss, 100 flowers.
* ``data_tanh``: the label +1 (virginica) / -1 (versicolor) ~ v tanh(w x), x the
  standardized petal width, mean squared error, 100 flowers: two mirror minima and a
  saddle at the origin.
"""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from ..base import SurfaceParam
from .build import data_surface_fields

IRIS_PATH = Path(__file__).with_name("iris.csv")
IRIS_SOURCE = {
    "source": "Fisher's iris data (R. A. Fisher, 1936; UCI Machine Learning Repository), "
    "the copy shipped with plotly.py",
    "licence": "CC BY 4.0 (UCI); the data themselves are from 1936 and in the public domain",
}


@lru_cache(maxsize=1)
def iris() -> dict[str, np.ndarray]:
    """The 150 iris flowers: four float columns (cm) and ``species`` (str), read-only."""
    with IRIS_PATH.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    table = {name: np.array([float(row[name]) for row in rows]) for name in
             ("sepal_length", "sepal_width", "petal_length", "petal_width")}
    table["species"] = np.array([row["species"] for row in rows])
    for column in table.values():
        column.flags.writeable = False
    return table


def standardize(x: np.ndarray) -> np.ndarray:
    """(x - mean) / std, std the population standard deviation (ddof 0)."""
    return (x - x.mean()) / x.std()


def _text(en: str, zh: str) -> dict[str, str]:
    return {"en": en, "zh": zh}


STANDARDIZE = SurfaceParam(
    "standardize", 0.0, 0.0, 1.0, "s",
    "Feature scaling: 0 the raw petal length in cm (a long tilted bowl), 1 the standardized "
    "feature (x - mean) / std (a round bowl); in between x' = (x - s mean) / (1 - s + s std).",
    "特征缩放：0 为原始花瓣长度（厘米，狭长倾斜的碗），1 为标准化特征 (x - 均值) / 标准差（圆碗）；"
    "中间值 x' = (x - s·均值) / (1 - s + s·标准差)。",
)
L2 = SurfaceParam(
    "l2", 0.0, 0.0, 1.0, r"\lambda",
    "L2 penalty (lambda / 2) |w|^2 added to the mean loss: it pulls the minimum towards 0 "
    "and rounds the valley.",
    "加到平均损失上的 L2 惩罚 (λ/2)|w|²：把极小值拉向 0，并让山谷变圆。",
)


def linreg(standardize: float) -> dict[str, Any]:
    """f(w, b) = (1/N) sum_i (w x_i + b - y_i)^2 with x the petal length rescaled by
    ``standardize`` = s: x' = (x - s mu) / (1 - s + s sigma). The Hessian is the constant
    2 [[mean x'^2, mean x'], [mean x', 1]]: for raw lengths (mean 3.76 cm) its condition
    number is about 105, for standardized ones (mean 0, variance 1) it is 2 I."""
    table = iris()
    x, y = table["petal_length"], table["petal_width"]
    s = float(standardize)
    feature = (x - s * x.mean()) / (1.0 - s + s * x.std())
    return data_surface_fields(
        "mse", [feature, np.ones_like(feature)], y,
        title=_text("Data: linear regression (iris)", "数据：线性回归（鸢尾花）"),
        description=_text(
            "Mean squared error of petal width ≈ w · petal length + b over 150 iris flowers. "
            "Raw lengths give a long tilted bowl; standardizing the feature makes it round.",
            "150 朵鸢尾花上“花瓣宽度 ≈ w · 花瓣长度 + b”的均方误差。原始特征得到狭长倾斜的碗，"
            "标准化后变成圆碗。",
        ),
        latex=r"f(w, b) = \frac{1}{N}\sum_{i=1}^{N} \left(w x_i + b - y_i\right)^2",
        dataset={**IRIS_SOURCE, "x": "petal_length", "y": "petal_width", "parameters": "w, b"},
    )


def _versicolor_virginica() -> tuple[dict[str, np.ndarray], np.ndarray]:
    table = iris()
    keep = table["species"] != "setosa"
    return {k: v[keep] for k, v in table.items()}, (table["species"][keep] == "virginica")


def logreg(l2: float) -> dict[str, Any]:
    """f(w1, w2) = (1/N) sum_i [log(1 + e^{z_i}) - y_i z_i] + (l2/2)|w|^2,
    z_i = w1 x1_i + w2 x2_i, x1, x2 the standardized petal length and width of the 100
    versicolor (y = 0) and virginica (y = 1) flowers. The classes overlap, so the minimum is
    finite even at l2 = 0. The features are correlated (r = 0.82): at the origin the
    Hessian is (1/4) [[1, r], [r, 1]], steep along w1 = w2 and ten times flatter across."""
    table, label = _versicolor_virginica()
    x1, x2 = standardize(table["petal_length"]), standardize(table["petal_width"])
    return data_surface_fields(
        "logistic", [x1, x2], label.astype(np.float64), l2,
        title=_text("Data: logistic regression (iris)", "数据：逻辑回归（鸢尾花）"),
        description=_text(
            "Mean cross-entropy of telling virginica from versicolor by petal length and "
            "width (standardized), two weights. The classes almost separate, so the "
            "minimum lies far out on a flat floor.",
            "用标准化的花瓣长度和宽度区分维吉尼亚鸢尾与杂色鸢尾的平均交叉熵，两个权重。"
            "两类几乎可分，极小值远在平坦的谷底。",
        ),
        latex=(
            r"f(w_1, w_2) = \frac{1}{N}\sum_{i=1}^{N} \left[\log\left(1 + e^{z_i}\right) - y_i z_i\right]"
            r" + \tfrac{\lambda}{2}\lVert w\rVert^2,\quad z_i = w_1 x_{i1} + w_2 x_{i2}"
        ),
        dataset={**IRIS_SOURCE, "x1": "petal_length (standardized)", "x2": "petal_width (standardized)",
                 "y": "species == virginica (versicolor and virginica only)", "parameters": "w1, w2"},
    )


def tanh_net() -> dict[str, Any]:
    """f(w, v) = (1/N) sum_i (v tanh(w x_i) - y_i)^2, x the standardized petal width and
    y = +1 (virginica) or -1 (versicolor), 100 flowers. f(w, v) = f(-w, -v): two mirror
    minima (near w = 2.98, v = 0.98 and its mirror) and a saddle at the origin, where the
    Hessian is [[0, -2 mean(x y)], [-2 mean(x y), 0]]."""
    table, label = _versicolor_virginica()
    x = standardize(table["petal_width"])
    y = np.where(label, 1.0, -1.0)
    return data_surface_fields(
        "tanh", [x], y,
        title=_text("Data: tiny tanh network (iris)", "数据：微型 tanh 网络（鸢尾花）"),
        description=_text(
            "Mean squared error of a one-neuron network v · tanh(w · petal width) predicting "
            "virginica (+1) or versicolor (−1): two mirror-image minima and a saddle at 0.",
            "单神经元网络 v · tanh(w · 花瓣宽度) 预测维吉尼亚鸢尾（+1）或杂色鸢尾（−1）的均方误差："
            "两个镜像对称的极小值，原点是鞍点。",
        ),
        latex=r"f(w, v) = \frac{1}{N}\sum_{i=1}^{N} \left(v \tanh(w x_i) - y_i\right)^2",
        dataset={**IRIS_SOURCE, "x": "petal_width (standardized)",
                 "y": "+1 virginica, -1 versicolor (versicolor and virginica only)", "parameters": "w, v"},
    )


# name -> (builder, parameter specs); surfaces.library registers these after the analytic ones.
DATA_SURFACES = {
    "data_linreg": (linreg, (STANDARDIZE,)),
    "data_logreg": (logreg, (L2,)),
    "data_tanh": (tanh_net, ()),
}
