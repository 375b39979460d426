"""Code the batch runs inside its warm kernels: the warm-up after a start, the reset between units.

Kept out of :mod:`skmkit.batch`, whose import brings nbformat, nbconvert and the
exporters: a kernel needs none of them (importing the batch package there cost
each kernel start about half a second).
"""
from __future__ import annotations

import os

_RC_SNAPSHOT: dict = {}


def kernel_warmup() -> None:
    """(Runs inside a kernel.) Import the report's libraries and snapshot matplotlib's rcParams."""
    import matplotlib
    import matplotlib.pyplot  # noqa: F401  (the inline backend loads here)
    import pandas  # noqa: F401

    import importlib

    import skmkit  # noqa: F401

    for name in ("skmkit.charts", "skmkit.sections", "skmkit.recap_report"):  # what the kit's notebooks import
        try:
            importlib.import_module(name)
        except ImportError:
            pass

    _RC_SNAPSHOT.clear()
    _RC_SNAPSHOT.update(matplotlib.rcParams.copy())
    # The imported libraries are never garbage: keep them out of every collection. The full
    # collections between units (ours and IPython's reset) then scan one unit's objects, not the
    # whole heap of pandas and matplotlib: 0.3-0.8 s less per unit.
    import gc

    gc.collect()
    gc.freeze()


def kernel_reset(cwd: str, banner_cache: str | None = None) -> None:
    """(Runs inside a kernel.) Forget the previous unit: namespace, figures, rcParams, cwd.

    ``banner_cache``: the unit's banner cache folder (:data:`skmkit.banner.CACHE_ENV`) when its
    worker writes the banner file too, else none.
    """
    import gc

    import matplotlib
    import matplotlib.pyplot as plt
    from IPython import get_ipython

    from .banner import CACHE_ENV

    if banner_cache:
        os.environ[CACHE_ENV] = banner_cache
    else:
        os.environ.pop(CACHE_ENV, None)
    plt.close("all")
    if _RC_SNAPSHOT:
        with matplotlib._api.suppress_matplotlib_deprecation_warning():
            matplotlib.rcParams.update(_RC_SNAPSHOT)
    os.chdir(cwd)
    shell = get_ipython()
    if shell is not None:
        shell.reset(new_session=True)  # %reset -f, and the execution count back to 1
    gc.collect()
