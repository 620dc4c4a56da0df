"""Data surfaces: loss surfaces made from a dataset, with real per-example gradients.

>>> from surfaces import get_surface
>>> s = get_surface("data_linreg", standardize=1)
>>> s.n_examples
150

The library registers ``data_linreg``, ``data_logreg`` and ``data_tanh`` (iris data, see
``catalog``); :func:`data_surface_from_csv` builds one from a user's CSV file.
"""

from .surface import DataModel, DataSurface
from .upload import MAX_BYTES, MAX_ROWS, data_surface_from_csv

__all__ = ["MAX_BYTES", "MAX_ROWS", "DataModel", "DataSurface", "data_surface_from_csv"]
