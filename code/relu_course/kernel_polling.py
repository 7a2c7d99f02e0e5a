"""Wait for Jupyter kernel messages in short polls, so that a kernel's reply is never noticed late.

Applied wherever the course executes notebooks: the parallel step of ``make book``
(:mod:`relu_course.execution_cache`), nbmake under pytest (tests/conftest.py), the grader
(:mod:`relu_course.coursework.execution`) and ``make bench``.
"""
from __future__ import annotations

import time
from queue import Empty
from typing import Any

#: Longest single wait for a kernel message; a missed wake-up costs at most this.
POLL_SLICE_SECONDS = 0.5


def poll_in_slices() -> None:
    """Make jupyter_client's asyncio channels wait for a message in short polls instead of one long one.

    Why: executing a notebook sometimes stalled for the whole cell time limit after a cell that
    displays ipywidgets, although the kernel had replied at once (the kernel's own timestamps show the
    gap; the same symptom as nbclient issue #312). The reply was there, but the one long poll woke only
    at its deadline. A new poll sees a message that is already waiting, so polling in slices of
    :data:`POLL_SLICE_SECONDS` bounds the stall; the total time limit is unchanged. Idempotent.
    """
    from jupyter_client.channels import AsyncZMQSocketChannel

    original = AsyncZMQSocketChannel.get_msg
    if getattr(original, "polls_in_slices", False):
        return

    async def get_msg(self: Any, timeout: float | None = None) -> dict[str, Any]:
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            left = POLL_SLICE_SECONDS if deadline is None else max(0.0, deadline - time.monotonic())
            try:
                return await original(self, timeout=min(POLL_SLICE_SECONDS, left))
            except Empty:
                if deadline is not None and time.monotonic() >= deadline:
                    raise

    get_msg.polls_in_slices = True  # type: ignore[attr-defined]
    AsyncZMQSocketChannel.get_msg = get_msg  # type: ignore[method-assign]
