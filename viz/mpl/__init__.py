"""GIF and MP4 frames of a scene, drawn with matplotlib (Agg, no pyplot).

One idea per module:

* :mod:`.animation`: ``SceneAnimation``: lays the page out, draws the static picture once,
  then per frame only the moving artists, blitted over a saved background;
* :mod:`.layout`: the page (pixel units, text measured, wrapped and shrunk to fit) and the
  room a map leaves for its tick labels (``Margins``);
* :mod:`.maps`, :mod:`.surface3d`, :mod:`.legend`: the 2-D maps, the 3-D view, the legend;
* :mod:`.moving`: the artists that change between frames, and their drawing order;
* :mod:`.data`: each run as the frames need it (``make_runs``) and the sampled view;
* :mod:`.rules`: update rules as mathtext lines (``update_rule_lines``);
* :mod:`.style`: sizes in points and colours (``DESIGN_COLORS``).
"""
