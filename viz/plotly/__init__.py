"""Interactive Plotly figures of a scene: the animated trajectories, the 3-D surface and the
"inside the optimizer" close-up. Streamlit-free, so the export writes the same figure to HTML.

Size and speed matter more than usual here: the app redraws the animated figure on every
slider move (target: well under 300 ms for 4 optimizers x 300 steps). So frames carry only
the moving traces, coordinates are rounded to what a screen can show, paths are simplified
with a tolerance below a pixel (never by striding, which hides SGD's step-to-step zig-zag;
see :func:`viz.geometry.simplify`), and the frames stay plain dicts (see
:class:`.figure_type.AnimatedFigure`).

One idea per module:

* :mod:`.figure_type`: ``AnimatedFigure`` and the rounding and typed arrays of its JSON;
* :mod:`.labels`: the figures' strings from the catalogue and the legend labels;
* :mod:`.layout`: panel domains and figure size, axis styles, log ticks, buttons and slider;
* :mod:`.series`: the loss, distance and learning-rate panels beside the map;
* :mod:`.contour`: the surface sampled on a grid, and its contour trace;
* :mod:`.trajectories`: the animated figure (``trajectory_figure``);
* :mod:`.surface3d`: the 3-D surface (``surface_3d_figure``);
* :mod:`.internals`: inside one optimizer at one step (``internals_figure``).

The public names are gathered in :mod:`viz.figures`.
"""
