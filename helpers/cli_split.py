"""Validation splits for ``python -m helpers.train`` that predict how a model does on *new* recordings.

A random split puts clips of the same speaker (or the same recording session) on both sides,
so validation measures memory of voices rather than the task. Here validation holds out
whole *groups*: speakers read from FSDD names (``{digit}_{speaker}_{index}.wav``), a part of
the file name matched by a regular expression, or a sub-folder level.

>>> groups_of(["0_ann_1.wav", "3_bob_7.wav"], root=".", group_by="speaker").tolist()
['ann', 'bob']
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

FSDD_NAME = re.compile(r"^(?P<digit>\d)_(?P<speaker>.+)_(?P<index>\d+)$")


def groups_of(paths, root, group_by: str | None) -> np.ndarray | None:
    """The group of every file, or ``None`` for a random split.

    Parameters
    ----------
    paths : list of paths
        Files under ``root``.
    root : path
        DATA_DIR, for ``folder:N``.
    group_by : str or None
        ``None`` or ``"auto"``: speakers when every name is FSDD-like, else a random split;
        ``"none"``: a random split; ``"speaker"``: FSDD speakers; ``"folder:N"``: the N-th
        folder below ``root`` (``folder:1`` is the class folder, ``folder:2`` the one inside
        it); anything else is a regular expression searched in the file name without its
        suffix, whose first group (or whole match) is the group.

    Returns
    -------
    np.ndarray of str, [len(paths)], or None

    Used by ``python -m helpers.train``.
    """
    stems = [Path(p).stem for p in paths]
    if group_by in (None, "auto"):
        return groups_of(paths, root, "speaker") if all(FSDD_NAME.match(s) for s in stems) else None
    if group_by == "none":
        return None
    if group_by == "speaker":
        bad = [p for p, s in zip(paths, stems, strict=True) if not FSDD_NAME.match(s)]
        if bad:
            raise ValueError(
                f"--group-by speaker needs FSDD names ({{digit}}_{{speaker}}_{{index}}.wav), but "
                f"{len(bad)} files are not, e.g. {Path(bad[0]).name}; use --group-by REGEX or folder:N"
            )
        return np.array([FSDD_NAME.match(s)["speaker"] for s in stems])
    if group_by.startswith("folder:"):
        return _folder_level(paths, root, group_by)
    return _regex_groups(paths, stems, group_by)


def _folder_level(paths, root, group_by: str) -> np.ndarray:
    level = group_by.partition(":")[2]
    if not level.isdigit() or int(level) < 1:
        raise ValueError(f"--group-by {group_by!r}: the level must be a whole number >= 1, e.g. folder:2")
    level = int(level)
    groups = []
    for p in paths:
        parts = Path(p).relative_to(root).parts[:-1]
        if len(parts) < level:
            raise ValueError(
                f"--group-by {group_by}: {p} lies only {len(parts)} folder(s) below DATA_DIR; use a smaller level"
            )
        groups.append("/".join(parts[:level]))
    return np.array(groups)


def _regex_groups(paths, stems, pattern: str) -> np.ndarray:
    try:
        regex = re.compile(pattern)
    except re.error as err:
        raise ValueError(
            f"--group-by {pattern!r} is not a regular expression ({err}); "
            r"e.g. --group-by '^([a-z]+)_' for names like ann_001.wav"
        ) from None
    groups = []
    for p, stem in zip(paths, stems, strict=True):
        match = regex.search(stem)
        if not match:
            raise ValueError(
                f"--group-by {pattern!r} does not match the name of {p}; every file must contain its group"
            )
        group = match.group(1) if regex.groups else match.group(0)
        if group is None:  # an optional group, e.g. '(x)?', that took no part in the match
            raise ValueError(
                f"--group-by {pattern!r}: its first group matched nothing in the name of {p}; "
                "every file must contain its group (make the group required, e.g. '^([a-z]+)_')"
            )
        groups.append(group)
    return np.array(groups)


def grouped_split(labels, groups, fraction: float, seed: int) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Indices ``(train, val)`` and the validation groups: whole groups, about ``fraction`` of the clips.

    Groups are taken in a seeded random order until the validation share reaches ``fraction``;
    at least one group stays for training.

    Examples
    --------
    >>> train, val, held = grouped_split([0, 1, 0, 1], ["a", "a", "b", "b"], 0.3, seed=0)
    >>> len(train), len(val), len(held)
    (2, 2, 1)

    Used by ``python -m helpers.train``.
    """
    groups = np.asarray(groups)
    names, counts = np.unique(groups, return_counts=True)
    if len(names) < 2:
        raise ValueError(
            f"all {len(groups)} files belong to one group ({str(names[0])!r}), so no group can be held out "
            "for validation; use --group-by none (a random split) or --val-dir DIR"
        )
    order = np.random.default_rng(seed).permutation(len(names))
    held, total = [], 0
    for i in order[:-1]:
        held.append(str(names[i]))
        total += counts[i]
        if total >= fraction * len(groups):
            break
    is_val = np.isin(groups, held)
    return np.flatnonzero(~is_val), np.flatnonzero(is_val), sorted(held)


def random_split(labels, fraction: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Indices ``(train, val)``: about ``fraction`` of each class (at least one clip, if it has two) held out.

    Used by ``python -m helpers.train``.
    """
    labels = np.asarray(labels)
    rng = np.random.default_rng(seed)
    val = []
    for c in np.unique(labels):
        members = rng.permutation(np.flatnonzero(labels == c))
        val.extend(members[: max(1, round(fraction * len(members)))] if len(members) > 1 else [])
    is_val = np.isin(np.arange(len(labels)), val)
    return np.flatnonzero(~is_val), np.flatnonzero(is_val)
