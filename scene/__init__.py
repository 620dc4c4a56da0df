"""What a view shows, as plain data: the field tables of a scene and of an optimizer entry,
their validation, the codecs (URL, CLI, JSON), the lessons, and the one text catalogue.

No drawing and no Streamlit: ``ui -> viz -> {scene, analysis} -> {optimizers, surfaces}``.
"""

from .codecs import (
    entry_from_cli,
    entry_from_dict,
    entry_to_dict,
    scene_from_dict,
    scene_from_text,
    scene_to_text,
    to_dict,
)
from .fields import (
    BOUNDS,
    CUSTOM_SURFACE,
    ENTRY_FIELDS,
    FIT_MARGIN,
    MAX_OPTIMIZERS,
    MAX_STEPS,
    SCENE_FIELDS,
    UPLOAD_SURFACE,
    Field,
)
from .labels import entry_label, entry_labels
from .lessons import PRESETS, Preset, get_preset, lesson_of
from .model import (
    UPLOAD_MISSING,
    OptimizerEntry,
    Scene,
    SurfaceKey,
    register_upload,
    run_scene,
    surface_from_key,
)

__all__ = [
    "BOUNDS",
    "FIT_MARGIN",
    "CUSTOM_SURFACE",
    "ENTRY_FIELDS",
    "MAX_OPTIMIZERS",
    "MAX_STEPS",
    "PRESETS",
    "SCENE_FIELDS",
    "UPLOAD_MISSING",
    "UPLOAD_SURFACE",
    "Field",
    "OptimizerEntry",
    "Preset",
    "Scene",
    "SurfaceKey",
    "entry_from_cli",
    "entry_from_dict",
    "entry_to_dict",
    "entry_label",
    "entry_labels",
    "get_preset",
    "lesson_of",
    "register_upload",
    "run_scene",
    "scene_from_dict",
    "scene_from_text",
    "scene_to_text",
    "surface_from_key",
    "to_dict",
]
