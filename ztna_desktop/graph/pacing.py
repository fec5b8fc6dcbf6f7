"""Pacing: a page chain that rides in the ``$batch`` requests of a rate-limited chain.

The pages of one collection form a chain (page k+1's link is in page k), so one
``$batch`` carries at most one page of each chain, and two chains read side by
side need at least max(pages of each) HTTP requests. When one of them is rate
limited (the MFA report: 5 requests per 10 s) and the other is sent at full
speed, the fast one finishes early in batches of its own and every later page of
the slow one goes alone: about the sum of the two instead of the larger.

So a follower request (``BatchItem.rides_with`` = the leader's ``Chain``) is held
back while the leader's next page is queued and waiting for its limiter, unless
the follower has more pages left than the leader: those spare pages go alone
while the leader waits, the rest ride with the leader's pages. Every HTTP request
then carries a follower page while the follower has any, the leader never waits
for the follower (it stays the critical path), and the count is max(leader
pages, follower pages) when the estimates hold. With no leader queued (it
finished, or failed with a 403) the follower goes at full speed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(eq=False, slots=True)
class Chain:
    """A paged read's expected length in pages and the pages read so far.

    ``BatchRunner.follow_pages`` counts ``read`` for items that carry the chain.
    """

    expected: int
    read: int = 0

    @classmethod
    def of(cls, items: int, page_size: int) -> Chain:
        """The chain of a list of ``items`` read ``page_size`` a page (one page at least)."""
        return cls(max(1, math.ceil(items / max(1, page_size))))

    @property
    def left(self) -> int:
        """Pages still to read, the one queued included (0 once past the estimate)."""
        return max(0, self.expected - self.read)


def may_go_alone(own: Chain | None, leader: Chain) -> bool:
    """Whether a follower page may go without a page of its waiting ``leader``.

    Only a page to spare does: one the follower would still have to send on its
    own if each of the leader's remaining pages took one of the follower's along.
    Both have a page queued when this is asked, so each has one left at least
    (an estimate can fall short).
    """
    return own is not None and max(own.left, 1) > max(leader.left, 1)
