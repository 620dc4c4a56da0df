"""Display names: how a legend, a table and a panel title name an optimizer entry, in the
chosen language. The app, the GIF/MP4 writer and the analysis views all call these."""

from __future__ import annotations

from collections.abc import Sequence

from .i18n import pick, t
from .model import OptimizerEntry


def entry_title(entry: OptimizerEntry, lang: str) -> str:
    """The optimizer's display name in ``lang``: a Chinese title that ends in the English
    name ("动量法 Momentum") is shortened to its Chinese part; one that is the English name
    (Adam) or mixes it in ("Nesterov 动量") stays as it is."""
    title = entry.title
    english, local = title["en"], pick(title, lang)
    if lang != "en" and local.endswith(" " + english):
        return local[: -len(english) - 1]
    return local


def entry_label(entry: OptimizerEntry, lang: str, beside_batches: bool = False) -> str:
    """``SGD (lr=0.05, momentum=0.9) [step; warm-up 10; noise 4, batch 16]``: the title, the
    hyperparameters that differ from the defaults (always the rate), then the run settings."""
    label = entry.build().label()  # "sgd(lr=0.05, momentum=0.9)", in the optimizer's order
    inner = label[label.find("(") + 1 : label.rfind(")")]
    extras = []
    if entry.schedule != "constant":
        extras.append(entry.schedule)
    if entry.warmup_iters:
        extras.append(t("figure.label_warmup", lang, steps=entry.warmup_iters))
    if entry.clip_value is not None:
        extras.append(t("figure.label_clip_value", lang, value=f"{entry.clip_value:g}"))
    if entry.clip_norm is not None:
        extras.append(t("figure.label_clip_norm", lang, value=f"{entry.clip_norm:g}"))
    if entry.noise and entry.batch_size is not None:
        extras.append(t("figure.label_noise", lang, noise=f"{entry.noise:g}", batch=entry.batch_size))
    elif entry.noise:
        extras.append(t("figure.label_noise_only", lang, noise=f"{entry.noise:g}"))
    elif entry.batch_size is not None:  # mini-batches of a data surface (None: the full batch)
        extras.append(t("figure.label_batch", lang, batch=entry.batch_size))
    elif beside_batches:  # named only beside runs on mini-batches, where it is the difference
        extras.append(t("figure.label_full_batch", lang))
    parts = [entry_title(entry, lang), f"({inner})" if inner else "", f"[{'; '.join(extras)}]" if extras else ""]
    return " ".join(part for part in parts if part)


def entry_labels(entries: Sequence[OptimizerEntry], lang: str = "en") -> list[str]:
    """One label per entry; a number is added when two entries would read the same."""
    beside_batches = any(entry.batch_size is not None for entry in entries)
    plain = [entry_label(entry, lang, beside_batches) for entry in entries]
    return [
        f"{label} #{plain[: index + 1].count(label)}" if plain.count(label) > 1 else label
        for index, label in enumerate(plain)
    ]
