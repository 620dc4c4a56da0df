"""A smooth, non-quadratic test surface written twice: NumPy (analytic) and torch (autograd).

f(x, y) = 0.5 x^2 + 2 y^2 + 0.3 sin(2x) cos(y) + 0.1 x y
"""

import numpy as np

BOUNDS = ((-3.0, 3.0), (-3.0, 3.0))
STARTS = [[2.5, 1.5], [-1.0, -2.0], [0.3, 2.8]]


class ReferenceSurface:
    bounds = BOUNDS

    def f(self, p):
        x, y = p[..., 0], p[..., 1]
        return 0.5 * x**2 + 2 * y**2 + 0.3 * np.sin(2 * x) * np.cos(y) + 0.1 * x * y

    def grad(self, p):
        x, y = p[..., 0], p[..., 1]
        gx = x + 0.6 * np.cos(2 * x) * np.cos(y) + 0.1 * y
        gy = 4 * y - 0.3 * np.sin(2 * x) * np.sin(y) + 0.1 * x
        return np.stack([gx, gy], axis=-1)

    def hessian(self, p):
        x, y = p[..., 0], p[..., 1]
        hxx = 1 - 1.2 * np.sin(2 * x) * np.cos(y)
        hxy = -0.6 * np.cos(2 * x) * np.sin(y) + 0.1
        hyy = 4 - 0.3 * np.sin(2 * x) * np.cos(y)
        return np.stack([np.stack([hxx, hxy], -1), np.stack([hxy, hyy], -1)], -2)


def torch_f(p):
    import torch

    x, y = p[0], p[1]
    return 0.5 * x**2 + 2 * y**2 + 0.3 * torch.sin(2 * x) * torch.cos(y) + 0.1 * x * y
