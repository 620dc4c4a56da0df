"""A data surface from a user's CSV file: two or three numeric columns, checked cell by cell.

Every problem is a ValueError whose message says what is wrong and where (row numbers count
the file's lines from 1, header included), so an app can show it as it is:

* not text or bytes, not UTF-8, binary (a NUL byte), or empty;
* more than MAX_ROWS data rows or MAX_BYTES bytes (counted before anything is parsed);
* a row with a different number of fields than the first; not 2 or 3 columns;
* a missing value (empty, NA, NaN, null, ?); a cell that is not a number; inf; a value
  beyond +-MAX_ABS_VALUE;
* fewer than two data rows; a constant feature; for ``logreg`` a label column without
  exactly two classes; two collinear features.

Models (``model=``), with columns (x, y) or (x1, x2, y):

* ``linreg``: y ~ a x + b (two columns) or y ~ a x1 + b x2 (three), mean squared error;
* ``logreg``: the label y (two distinct values; the larger is class 1) from a x + b or
  a x1 + b x2, mean logistic loss;
* ``tanh``: y ~ b tanh(a x) (two columns only), mean squared error.

``standardize=True`` (the default) rescales each feature to mean 0 and standard deviation 1
first; targets are kept as they are.
"""

from __future__ import annotations

import csv
import io

import numpy as np

from .build import data_surface_fields
from .surface import DataSurface

MAX_ROWS = 10_000  # examples; a contour grid costs grid points x rows per evaluation
MAX_BYTES = 2_000_000
MAX_ABS_VALUE = 1e9
MISSING = {"", "na", "n/a", "nan", "null", "none", "?", "-"}
CSV_MODELS = {"linreg": "mse", "logreg": "logistic", "tanh": "tanh"}


def _text(data: str | bytes) -> str:
    """``data`` as text, after the checks that need no parsing: type, size, binary, UTF-8."""
    if isinstance(data, bytearray | memoryview):
        data = bytes(data)
    if not isinstance(data, bytes | str):
        raise ValueError(f"CSV data must be text or bytes, got {type(data).__name__}")
    newline = b"\n" if isinstance(data, bytes) else "\n"
    lines = data.count(newline) + (not data.endswith(newline))
    if lines > MAX_ROWS + 1:
        raise ValueError(f"CSV has {lines} lines; at most {MAX_ROWS} data rows are allowed")
    size = len(data) if isinstance(data, bytes) else len(data.encode("utf-8", "surrogatepass"))
    if size > MAX_BYTES:
        raise ValueError(f"CSV is {size} bytes; at most {MAX_BYTES} bytes are allowed")
    if (b"\x00" if isinstance(data, bytes) else "\x00") in data:
        raise ValueError("CSV contains binary data (a NUL byte); expected text")
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise ValueError(
                f"CSV is not UTF-8 text (byte 0x{data[error.start]:02x} at position {error.start})"
            ) from None
    if not data.strip():
        raise ValueError("CSV is empty")
    return data.lstrip("\ufeff")


def _number(cell: str) -> float | None:
    try:
        return float(cell)
    except ValueError:
        return None


def parse_csv(data: str | bytes) -> tuple[list[str], np.ndarray]:
    """Column names and an (N, k) float array, k in {2, 3}, from CSV text or bytes.

    The delimiter is the first of ``,``, ``;`` and tab found in the first line. The first
    row is a header when none of its cells is a number (names default to x, y or x1, x2, y).
    """
    text = _text(data)
    first = next(line for line in text.splitlines() if line.strip())
    delimiter = next((d for d in (",", ";", "\t") if d in first), ",")
    try:
        rows = [
            (number, [cell.strip() for cell in row])
            for number, row in enumerate(csv.reader(io.StringIO(text, newline=None), delimiter=delimiter), start=1)
            if any(cell.strip() for cell in row)
        ]
    except csv.Error as error:
        raise ValueError(f"CSV could not be read: {error}") from None
    header = None
    if all(_number(cell) is None for cell in rows[0][1]):
        header, rows = rows[0][1], rows[1:]
    width = len(header) if header is not None else len(rows[0][1]) if rows else 0
    if width not in (2, 3):
        raise ValueError(
            f"CSV needs 2 or 3 columns (x, y or x1, x2, y), found {width} in row "
            f"{1 if header is not None or not rows else rows[0][0]}"
        )
    names = header if header is not None else (["x", "y"] if width == 2 else ["x1", "x2", "y"])
    names = [name or f"column {k + 1}" for k, name in enumerate(names)]
    if len(rows) > MAX_ROWS:  # lines ended by a bare carriage return escape the count above
        raise ValueError(f"CSV has {len(rows)} rows of data; at most {MAX_ROWS} are allowed")
    if len(rows) < 2:
        note = " (row 1 was read as a header: none of its cells is a number)" if header is not None else ""
        raise ValueError(f"CSV needs at least 2 rows of data, found {len(rows)}{note}")
    values = np.empty((len(rows), width))
    for i, (number, row) in enumerate(rows):
        if len(row) != width:
            raise ValueError(
                f"Row {number} has {len(row)} field{'s' if len(row) != 1 else ''}, expected {width} like the first row"
            )
        for k, cell in enumerate(row):
            if cell.lower() in MISSING:
                raise ValueError(f"Missing value in row {number}, column '{names[k]}'")
            value = _number(cell)
            if value is None:
                raise ValueError(
                    f"Column '{names[k]}' is not numeric: row {number} holds {cell[:40]!r}"
                )
            if not np.isfinite(value) or abs(value) > MAX_ABS_VALUE:
                raise ValueError(
                    f"Value {cell[:40]!r} in row {number}, column '{names[k]}' is not a finite "
                    f"number within ±{MAX_ABS_VALUE:g}"
                )
            values[i, k] = value
    return names, values


def data_surface_from_csv(
    data: str | bytes,
    model: str = "linreg",
    *,
    standardize: bool = True,
    l2: float = 0.0,
    name: str = "csv",
) -> DataSurface:
    """A :class:`DataSurface` for ``model`` (``linreg``, ``logreg`` or ``tanh``) fitted to the
    CSV ``data``; ``l2`` >= 0 adds (l2/2)|p|^2. See the module docstring for the checks and
    the models. Raises ValueError with a message meant for the user."""
    if model not in CSV_MODELS:
        raise ValueError(f"Unknown model {model!r}. Valid models: {', '.join(CSV_MODELS)}")
    if isinstance(l2, bool) or not isinstance(l2, int | float) or not 0.0 <= l2 <= 1e3:
        raise ValueError(f"Invalid l2: {l2} (must be a number from 0 to 1000)")
    names, values = parse_csv(data)
    features, y = values[:, :-1], values[:, -1]
    if model == "tanh" and features.shape[1] != 1:
        raise ValueError("The tanh model takes 2 columns (x, y), found 3")
    for k in range(features.shape[1]):
        if np.ptp(features[:, k]) == 0:
            raise ValueError(f"Column '{names[k]}' is constant ({features[0, k]:g} in every row)")
    if model == "logreg":
        classes = np.unique(y)
        if len(classes) != 2:
            raise ValueError(
                f"Column '{names[-1]}' must hold exactly two classes (e.g. 0 and 1) for logreg, "
                f"found {len(classes)} distinct value{'s' if len(classes) != 1 else ''}"
            )
        y = (y == classes[1]).astype(np.float64)
    if standardize:
        features = (features - features.mean(axis=0)) / features.std(axis=0)
    if features.shape[1] == 2:
        u, v = features.T
        correlation = np.corrcoef(u, v)[0, 1]
        if not abs(correlation) < 1.0 - 1e-9:
            raise ValueError(f"Columns '{names[0]}' and '{names[1]}' are collinear: the fit has no unique minimum")
        columns = [u, v]
        parameters = "a, b (weights of x1 and x2)"
    else:
        columns = [features[:, 0]] if model == "tanh" else [features[:, 0], np.ones(len(y))]
        parameters = "a, b (inner and outer weight)" if model == "tanh" else "a, b (weight and bias)"
    scaled = " (standardized)" if standardize else ""
    latex = {
        "mse": r"f(a, b) = \frac{1}{N}\sum_{i} \left(a u_i + b v_i - y_i\right)^2",
        "logistic": r"f(a, b) = \frac{1}{N}\sum_{i} \left[\log(1 + e^{z_i}) - y_i z_i\right],\ z_i = a u_i + b v_i",
        "tanh": r"f(a, b) = \frac{1}{N}\sum_{i} \left(b \tanh(a x_i) - y_i\right)^2",
    }[CSV_MODELS[model]]
    words = {"linreg": ("linear regression", "线性回归"), "logreg": ("logistic regression", "逻辑回归"),
             "tanh": ("tanh network", "tanh 网络")}[model]
    fields = data_surface_fields(
        CSV_MODELS[model], columns, y, float(l2),
        title={"en": f"Your data: {words[0]}", "zh": f"你的数据：{words[1]}"},
        description={
            # No column names here: an app may render a description as Markdown; the names
            # are in ``dataset``.
            "en": f"{words[0].capitalize()} on {len(y)} rows of your CSV, {features.shape[1]} feature{'s' if features.shape[1] > 1 else ''}.",
            "zh": f"在你的 CSV 的 {len(y)} 行数据（{features.shape[1]} 个特征）上的{words[1]}。",
        },
        latex=latex,
        dataset={"source": "user CSV", "columns": ", ".join(names), "features": ", ".join(names[:-1]) + scaled,
                 "target": names[-1], "parameters": parameters},
    )
    surface_class = fields.pop("surface_class")
    return surface_class(name=name, params={}, **fields)
