"""YAML parameter files read safely: the one loader of ``report --params``, ``units.yml`` and list files.

``yaml.safe_load`` refuses Python objects but not size: a few lines of nested
aliases (the "billion laughs" shape, ``b: [*a, *a, ...]`` nine levels deep)
expand to billions of items and end, after minutes, in ``MemoryError``.
:func:`safe_load` composes the document first (aliases stay shared nodes, so
this is linear in the text), counts the nodes the document would expand to,
memoised per node, and refuses a document larger than :data:`MAX_NODES` or one
whose alias points into itself, before anything is built.

Examples
--------
>>> safe_load("period: Semester I 2026\\nunits: [a, b]")
{'period': 'Semester I 2026', 'units': ['a', 'b']}
>>> safe_load("a: &x [1, 2]\\nb: *x")
{'a': [1, 2], 'b': [1, 2]}
"""
from __future__ import annotations

import yaml

__all__ = ["safe_load", "YamlTooLarge", "MAX_NODES"]

#: The most values (scalars, lists and mappings) a parameter document may expand to.
#: A batch of a thousand units with twenty keys each stays far below it.
MAX_NODES = 200_000

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available


class YamlTooLarge(yaml.YAMLError):
    """A document whose aliases expand it beyond :data:`MAX_NODES` values, or into itself."""


def _expanded_size(root) -> int:
    """Nodes the document expands to (an alias counted once per use), stopping past :data:`MAX_NODES`."""
    sizes: dict[int, int] = {}
    busy: set[int] = set()

    def size(node) -> int:
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in busy:
            raise YamlTooLarge("alias YAML menunjuk ke dirinya sendiri (berulang tanpa akhir).")
        busy.add(key)
        total = 1
        if isinstance(node, yaml.SequenceNode):
            children = node.value
        elif isinstance(node, yaml.MappingNode):
            children = [n for pair in node.value for n in pair]
        else:
            children = []
        for child in children:
            total += size(child)
            if total > MAX_NODES:
                break
        busy.discard(key)
        sizes[key] = total
        if total > MAX_NODES:
            raise YamlTooLarge(f"alias YAML bersarang mengembangkan berkas menjadi lebih dari {MAX_NODES:,} nilai "
                               "(pola 'billion laughs'); berkas ditolak.".replace(",", "."))
        return total

    return size(root)


def safe_load(text: str):
    """Parse a YAML document like ``yaml.safe_load``, refusing alias bombs at once.

    Raises
    ------
    YamlTooLarge
        (a :class:`yaml.YAMLError`, one line) when the document's aliases make it
        expand past :data:`MAX_NODES` values or into itself.
    yaml.YAMLError
        When the text is not YAML.
    """
    loader = _LOADER(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _expanded_size(node)
        return loader.construct_document(node)
    finally:
        loader.dispose()
