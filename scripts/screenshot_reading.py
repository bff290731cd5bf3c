"""The 互动 page after reading a WeChat-like screenshot sent from the phone (attached to the
post as the relay's 上传截图 does, read with 读取手机发来的截图): the confirmation list with strips.

    xvfb-run -a -s "-screen 0 1920x1080x24" .venv/bin/python scripts/screenshot_reading.py \
        docs/screenshots [--lang zh_CN]

Writes tracking-phone-screens-<lang>-1366x768.png (the button, before reading),
tracking-screenshot-<lang>-1366x768.png and -1920x1080.png (and the screenshot read).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from bench.wechat_posts import Comment, PostTruth
from bench.wechat_screens import Style, screens_of
from moments_desk.core.demo.demo import populate_demo
from moments_desk.core.relay.content import attach_screenshots
from moments_desk.core.shared import uow
from moments_desk.db.models import Customer, PostKind
from moments_desk.scheduling.clock import SystemClock, local_zone
from moments_desk.startup import open_shop
from moments_desk.ui.context import AppContext
from moments_desk.ui.i18n import apply_ui_font, install_translators
from moments_desk.ui.kit.tasks import DbExecutor
from moments_desk.ui.kit.theme import apply_theme
from moments_desk.ui.main_window import MainWindow


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path)
    parser.add_argument("--lang", default="zh_CN")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    app = QApplication(sys.argv[:1])
    translators = install_translators(app, args.lang)
    app.setFont(apply_ui_font(app.font()))
    apply_theme(app)
    work = Path(tempfile.mkdtemp(prefix="md-reading-"))
    shop = open_shop(work / "shop")
    populate_demo(shop.engine)
    ctx = AppContext(shop, SystemClock(), local_zone(), DbExecutor(), args.lang)
    from moments_desk.ui.users.login import sign_in_at_start

    sign_in_at_start(ctx, ask=False)
    window = MainWindow(ctx)
    window.resize(1366, 768)
    window.show()
    page = window.tracking
    window.nav.setCurrentRow(4)
    app.processEvents()

    now = datetime.now(UTC)

    def start() -> None:
        arrival = next(p for p in page._posts.values() if p.kind is PostKind.NEW_ARRIVAL)
        account = arrival.account_ids[0]
        names = uow.read(
            shop.sessions,
            lambda s: list(
                s.scalars(
                    select(Customer.nickname)
                    .where(Customer.account_id == account, Customer.remark == "")
                    .order_by(Customer.id)
                    .limit(14)
                )
            ),
        )
        truth = PostTruth(
            seller="悦己服饰",
            text="新款到货 法式碎花连衣裙，S-XL 四个码，喜欢的评论区扣1",
            time="2小时前",
            likes=(*names[:9], "陌生的小鹿🦌", "杭州-王姐"),
            comments=(
                Comment(names[9], "M码"),
                Comment(names[10], "好看！多少钱"),
                Comment("悦己服饰", "M码有的", reply_to=names[10]),
                Comment(names[11], "黑色L"),
                Comment(names[12], "扣1"),
            ),
        )
        shot = work / "朋友圈截图.png"
        screens_of(truth, Style())[0].image.save(shot)
        screens_of(truth, Style())[0].image.save(
            args.out / f"tracking-screenshot-read-{args.lang}.png"
        )
        sent = [("Screenshot_1.png", shot.read_bytes())]
        attach_screenshots(shop.sessions, shop.paths.media, arrival.id, sent, "phone", now)
        page.select_post(arrival.id)
        wait_for_count()

    def wait_for_count() -> None:
        if page.quick_entry.phone_button.count == 0:
            QTimer.singleShot(200, wait_for_count)
            return
        window.grab().save(str(args.out / f"tracking-phone-screens-{args.lang}-1366x768.png"))
        page.quick_entry.phone_button.click()
        wait_for_review()

    def wait_for_review() -> None:
        if page.quick_entry.review is None:
            QTimer.singleShot(300, wait_for_review)
            return
        QTimer.singleShot(500, grab_both)

    def grab_both() -> None:
        for width, height in ((1366, 768), (1920, 1080)):
            window.resize(width, height)
            app.processEvents()
            window.grab().save(
                str(args.out / f"tracking-screenshot-{args.lang}-{width}x{height}.png")
            )
        app.quit()

    QTimer.singleShot(2500, start)
    code = app.exec()
    ctx.executor.wait()
    shop.close()
    del translators
    return code


if __name__ == "__main__":
    raise SystemExit(main())
