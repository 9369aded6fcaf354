"""A Dask client for a scheduler address or an existing client (sweeps and windows)."""

from __future__ import annotations

import contextlib
from typing import Any, Iterator

from .errors import NetoptError

__all__ = ["dask_client"]


@contextlib.contextmanager
def dask_client(scheduler: Any) -> Iterator[Any]:
    """The `distributed.Client` to submit to: ``scheduler`` itself if it is one (left
    open for its owner), else a client connected to that address (closed on exit).

    Raises
    ------
    NetoptError
        If ``distributed`` is not installed.
    """
    try:
        from distributed import Client
    except ImportError:
        raise NetoptError("a Dask scheduler was given but 'distributed' is not installed "
                          "(pip install 'netopt[dask]')") from None
    client = scheduler if isinstance(scheduler, Client) else Client(scheduler)
    try:
        yield client
    finally:
        if client is not scheduler:
            client.close()
