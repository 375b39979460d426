"""Keep jsonschema's IRI grammar out of the kit's own processes: importing it costs 1.4 s.

nbformat validates notebooks with jsonschema, and jsonschema imports
``rfc3987_syntax`` for its "iri" formats when that package is installed. It
is, wherever JupyterLab or jupyter-server is (jupyter-events asks for
``jsonschema[format-nongpl]``): on analysts' and trainers' laptops and in the
test environment. ``rfc3987_syntax`` builds a Lark grammar when imported: 1.45 s
CPU on the 2-core machine (``python -X importtime -c "import nbformat"``), in the
CLI and again in every batch worker, before anything is read. The notebook
schema has no IRI format, so nothing the kit validates changes.

:func:`skip_iri_grammar` marks the module absent (jsonschema then leaves the
two IRI formats unchecked, as it does when the package is not installed),
only when jsonschema is not imported yet: a process that has it already (a
Jupyter server) is left as it is.
"""
from __future__ import annotations

import sys


def skip_iri_grammar() -> None:
    """Have jsonschema, imported after this, go without ``rfc3987_syntax``."""
    if "jsonschema" not in sys.modules:
        sys.modules.setdefault("rfc3987_syntax", None)
