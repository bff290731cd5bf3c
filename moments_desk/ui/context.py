"""What every page needs: the open shop, the clock, the seller's zone and the DB executor."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import tzinfo

from moments_desk.scheduling.clock import Clock
from moments_desk.startup import Shop
from moments_desk.ui.kit.changes import DataChanges
from moments_desk.ui.kit.reachability import ShopReachability
from moments_desk.ui.kit.tasks import DbExecutor


@dataclass
class AppContext:
    shop: Shop
    clock: Clock
    zone: tzinfo
    executor: DbExecutor
    language: str
    #: The signed-in profile (None until the shop's owner exists) and whether it is an owner.
    user_id: int | None = None
    is_owner: bool = True
    changes: DataChanges = field(default_factory=DataChanges)
    #: whether the shared shop answers (a banner and paused reminders while it does not)
    reachability: ShopReachability = field(init=False)

    def __post_init__(self) -> None:
        # Every commit on the shop's engine, from any page or the database thread, becomes
        # one ``changes.changed`` emission that every page hears.
        self.changes.watch(self.shop)
        self.reachability = ShopReachability(self.executor, self.shop, self.changes, self.executor)

    @property
    def long_jobs(self) -> DbExecutor:
        """A second database thread for long read-only work (a backup, a full check), so a
        search keystroke never waits behind it on ``executor``. Made on first use."""
        made = self.__dict__.get("_long_jobs")
        if made is None:
            made = self.__dict__["_long_jobs"] = DbExecutor()
        return made
