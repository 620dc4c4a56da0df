"""A streaming animated-GIF writer with one shared palette and delta frames.

Pillow's and imageio's GIF writers keep every frame in memory until the file is closed and
build a palette per frame. Here frames go to the file as they come:

* one global palette, fixed before the first frame (callers take it from the last frame,
  where every line is longest, plus reserved exact colours for the optimizer lines);
* each frame after the first is only the rectangle that changed, with unchanged pixels in
  that rectangle set to a transparent index, so a growing line costs a few hundred bytes;
* no dithering: dither noise differs between frames and defeats the delta frames.
"""

from __future__ import annotations

import struct
from collections.abc import Sequence
from typing import BinaryIO

import numpy as np
from PIL import GifImagePlugin, Image

PALETTE_SIZE = 64  # a power of two, as a GIF colour table must be
TRANSPARENT = PALETTE_SIZE - 1  # never chosen for a pixel: not part of the matching palette


def hex_to_rgb(color: str) -> tuple[int, int, int]:
    color = color.lstrip("#")
    return int(color[0:2], 16), int(color[2:4], 16), int(color[4:6], 16)


def build_palette(reference_rgb: np.ndarray, reserved: Sequence[tuple[int, int, int]]) -> np.ndarray:
    """(TRANSPARENT, 3) uint8 colours: ``reserved`` exactly, the rest median-cut from the
    reference frame. Reserving the line colours keeps thin lines their true colour, which a
    pixel-count-weighted median cut would merge into the background."""
    reserved = list(dict.fromkeys(tuple(int(v) for v in c) for c in reserved))
    free = TRANSPARENT - len(reserved)
    if free < 8:
        raise ValueError(f"Too many reserved colours ({len(reserved)}) for a {PALETTE_SIZE}-colour GIF")
    image = Image.fromarray(np.ascontiguousarray(reference_rgb[..., :3]), "RGB")
    cut = image.quantize(colors=free, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    cut_colors = np.array(cut.getpalette()[: 3 * free], dtype=np.uint8).reshape(-1, 3)
    palette = np.zeros((TRANSPARENT, 3), dtype=np.uint8)
    palette[: len(reserved)] = reserved
    palette[len(reserved) : len(reserved) + len(cut_colors)] = cut_colors
    return palette


def nearest_color_table(palette: np.ndarray) -> np.ndarray:
    """Palette index of the nearest colour for every colour at 6 bits per channel, looked up
    as ``table[(r >> 2) << 12 | (g >> 2) << 6 | b >> 2]``.

    Pillow's own palette matching is approximate (white can come out as the light grey next
    to it); here every palette colour maps to itself exactly, earlier entries (the reserved
    line colours) winning a shared cell.
    """
    levels = (np.arange(64, dtype=np.float32) * 4) + 1.5  # centre of each 6-bit cell
    r, g, b = np.meshgrid(levels, levels, levels, indexing="ij")
    cells = np.stack([r.ravel(), g.ravel(), b.ravel()], axis=1)
    colors = palette.astype(np.float32)
    table = np.empty(len(cells), dtype=np.uint8)
    for lo in range(0, len(cells), 32768):  # chunks keep the distance matrix a few MB
        chunk = cells[lo : lo + 32768]
        distance = (colors**2).sum(axis=1)[None, :] - 2 * chunk @ colors.T
        table[lo : lo + 32768] = distance.argmin(axis=1)
    colors = palette.astype(np.int32)
    own_cells = (colors[:, 0] >> 2) << 12 | (colors[:, 1] >> 2) << 6 | (colors[:, 2] >> 2)
    for index in range(len(colors) - 1, -1, -1):
        table[own_cells[index]] = index
    return table


class StreamingGifWriter:
    """Write RGBA frames (H, W, 4) uint8 one at a time to an open binary file.

    ``add(frame, duration_ms)`` encodes at once; nothing but the previous frame is kept.
    Every call adds exactly one GIF frame (an unchanged frame is a 1 x 1 transparent patch),
    so the file has as many frames as ``add`` calls. Alpha is ignored.
    """

    def __init__(self, fp: BinaryIO, size: tuple[int, int], palette: np.ndarray, loop: int = 0):
        width, height = size
        self._fp = fp
        self._size = (width, height)
        self._table = nearest_color_table(palette)
        self._previous_pixels: np.ndarray | None = None
        self._previous_index: np.ndarray | None = None
        self.frames = 0
        table = np.zeros((PALETTE_SIZE, 3), dtype=np.uint8)
        table[: len(palette)] = palette
        table_bits = PALETTE_SIZE.bit_length() - 2  # 2 ** (bits + 1) entries
        fp.write(b"GIF89a" + struct.pack("<HHBBB", width, height, 0x80 | table_bits, 0, 0))
        fp.write(table.tobytes())
        fp.write(b"!\xff\x0bNETSCAPE2.0\x03\x01" + struct.pack("<H", loop) + b"\x00")

    def _quantize(self, rgba: np.ndarray) -> np.ndarray:
        cells = (rgba[..., 0].astype(np.int32) >> 2) << 12
        cells |= (rgba[..., 1].astype(np.int32) >> 2) << 6
        cells |= rgba[..., 2].astype(np.int32) >> 2
        return self._table[cells]

    def _write_patch(self, patch: np.ndarray, offset: tuple[int, int], duration_ms: float, transparent: bool) -> None:
        image = Image.fromarray(np.ascontiguousarray(patch), "P")
        params = {"duration": max(int(round(duration_ms)), 10), "disposal": 1}
        if transparent:
            params["transparency"] = TRANSPARENT
        for chunk in GifImagePlugin.getdata(image, offset=offset, **params):
            self._fp.write(chunk)

    def add(self, rgba: np.ndarray, duration_ms: float) -> None:
        if rgba.shape != (self._size[1], self._size[0], 4) or rgba.dtype != np.uint8:
            raise ValueError(f"Frame of shape {rgba.shape} is not RGBA uint8 of size {self._size}")
        # One uint32 per pixel: a quarter of the comparisons of the byte-wise diff.
        pixels = np.ascontiguousarray(rgba).view(np.uint32)[..., 0]
        if self._previous_pixels is None:
            index = self._quantize(rgba)
            self._write_patch(index, (0, 0), duration_ms, transparent=False)
            self._previous_index = index
        else:
            changed = pixels != self._previous_pixels
            rows = np.nonzero(changed.any(axis=1))[0]
            if rows.size == 0:
                patch = np.full((1, 1), TRANSPARENT, dtype=np.uint8)
                self._write_patch(patch, (0, 0), duration_ms, transparent=True)
            else:
                cols = np.nonzero(changed.any(axis=0))[0]
                y0, y1, x0, x1 = rows[0], rows[-1] + 1, cols[0], cols[-1] + 1
                index = self._quantize(rgba[y0:y1, x0:x1])
                previous = self._previous_index[y0:y1, x0:x1]
                patch = np.where(index == previous, np.uint8(TRANSPARENT), index)
                previous[...] = index
                self._write_patch(patch, (int(x0), int(y0)), duration_ms, transparent=True)
        self._previous_pixels = pixels.copy()
        self.frames += 1

    def close(self) -> None:
        self._fp.write(b";")
