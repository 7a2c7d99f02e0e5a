"""relu_course.kernel_polling: each wait for a kernel message is short, the total time limit is kept."""
import asyncio
from queue import Empty

import pytest

from relu_course import kernel_polling as kp


class _Channel:
    """Stands in for the kernel channel: a message is waiting, but a poll longer than a slice misses it."""

    def __init__(self, ready_after: int | None):
        self.calls, self.ready_after = [], ready_after

    async def get_msg(self, timeout=None):
        self.calls.append(timeout)
        if self.ready_after is not None and len(self.calls) > self.ready_after:
            return {"msg": "reply"}
        await asyncio.sleep(min(timeout or 0, 0.01))
        raise Empty


def test_poll_in_slices_bounds_each_wait_and_keeps_the_time_limit(monkeypatch):
    from jupyter_client.channels import AsyncZMQSocketChannel

    monkeypatch.setattr(AsyncZMQSocketChannel, "get_msg", _Channel.get_msg)
    kp.poll_in_slices()
    kp.poll_in_slices()                                            # a second call changes nothing
    sliced = AsyncZMQSocketChannel.get_msg
    assert sliced.polls_in_slices

    waiting = _Channel(ready_after=3)
    assert asyncio.run(sliced(waiting, timeout=120)) == {"msg": "reply"}
    assert len(waiting.calls) == 4 and max(waiting.calls) <= kp.POLL_SLICE_SECONDS

    silent = _Channel(ready_after=None)
    with pytest.raises(Empty):
        asyncio.run(sliced(silent, timeout=0))
    assert silent.calls == [0.0]
