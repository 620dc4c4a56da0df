"""Analytic 2-D surfaces for optimizer trajectories: pure NumPy, no plotting, no Streamlit.

>>> from surfaces import get_surface, list_surfaces
>>> s = get_surface("three_minima")
>>> s.f(s.minima).shape
(3,)
"""

from .base import Surface, SurfaceParam
from .expression import from_expression
from .library import get_surface, list_surfaces

__all__ = ["Surface", "SurfaceParam", "from_expression", "get_surface", "list_surfaces"]
