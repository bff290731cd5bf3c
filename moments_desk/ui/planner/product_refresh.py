"""The composer's 商品已更新 button: an edited draft takes its products' new pictures and
price in one click (the seller's own words stay)."""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QPushButton

from moments_desk.core.planning.follow import refresh_from_products
from moments_desk.core.shared import uow
from moments_desk.ui.context import AppContext


class _Composer(Protocol):
    post_id: int | None
    _ctx: AppContext

    def _load(self) -> None: ...

    def _failed(self, error: BaseException) -> None: ...


def refresh_button(composer: _Composer) -> QPushButton:
    button = QPushButton(
        QCoreApplication.translate("Composer", "Product updated: refresh pictures and price")
    )
    button.setToolTip(
        QCoreApplication.translate(
            "Composer",
            "A product of this draft changed after you edited it. Take its current pictures "
            "and price; your text stays as you wrote it.",
        )
    )
    button.setVisible(False)

    def refresh() -> None:
        post_id, ctx = composer.post_id, composer._ctx
        if post_id is None:
            return
        button.setVisible(False)
        ctx.executor.submit(
            lambda: uow.write(ctx.shop.sessions, lambda s: refresh_from_products(s, post_id)),
            lambda _: composer._load(),
            composer._failed,
        )

    button.clicked.connect(refresh)
    return button
