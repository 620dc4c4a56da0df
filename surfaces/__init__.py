"""2-D surfaces for optimizer trajectories: pure NumPy, no plotting, no Streamlit.

Analytic test functions (``surfaces.library``) and data surfaces, the mean loss of a
two-parameter model over a dataset, with per-example gradients for real mini-batches
(``surfaces.data``; ``data_linreg``, ``data_logreg``, ``data_tanh``, or a user CSV via
``data_surface_from_csv``).

>>> from surfaces import get_surface, list_surfaces
>>> s = get_surface("three_minima")
>>> s.f(s.minima).shape
(3,)
"""

from .base import Surface, SurfaceParam
from .data import DataSurface, data_surface_from_csv
from .expression import from_expression
from .library import get_surface, list_surfaces

__all__ = [
    "DataSurface",
    "Surface",
    "SurfaceParam",
    "data_surface_from_csv",
    "from_expression",
    "get_surface",
    "list_surfaces",
]
