"""Screenshots of 发到手机 on the demo shop: the phone page and the laptop's QR dialog.

    .venv/bin/python scripts/relay_screenshots.py phone docs/screenshots
    xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python scripts/relay_screenshots.py \
        laptop docs/screenshots --size 1366x768

The phone pages come from Debian's chromium (Playwright) at 390×844 with WeChat's user agent.
Everything listens on 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from moments_desk.core.demo.demo import populate_demo
from moments_desk.core.pictures.image_export import ExportSettings
from moments_desk.core.pictures.media import register_media, store_image
from moments_desk.core.shared import uow
from moments_desk.core.shared.shop_settings import save_export_settings
from moments_desk.db.models import Post, PostAccount, PostImage, PostStatus, WeChatAccount
from moments_desk.startup import Shop, open_shop

sys.path.insert(0, str(Path(__file__).resolve().parent))
from screenshots import demo_pictures


def demo_shop(work: Path) -> tuple[Shop, int, str]:
    """The demo shop with a post due in an hour carrying six pictures, and its account."""
    shop = open_shop(work / "shop")
    populate_demo(shop.engine)
    pictures = demo_pictures(work)
    now = datetime.now(UTC)

    def prepare(s: Session) -> tuple[int, str]:
        save_export_settings(s, ExportSettings(watermark_text="小美的衣橱 @xiaomei"))
        post = s.scalars(
            select(Post)
            .join(PostAccount, PostAccount.post_id == Post.id)
            .where(Post.status.in_((PostStatus.SCHEDULED, PostStatus.DUE)))
            .order_by(Post.scheduled_at)
        ).first()
        assert post is not None
        post.scheduled_at = now + timedelta(hours=1)
        post.status = PostStatus.DUE
        for old in list(post.images):
            s.delete(old)
        s.flush()
        for position, path in enumerate(pictures):
            media = register_media(s, store_image(path, shop.paths.media))
            s.add(PostImage(post_id=post.id, media_id=media.id, position=position))
        account_id = post.accounts[0].account_id
        label = s.scalar(select(WeChatAccount.label).where(WeChatAccount.id == account_id))
        return post.id, label or ""

    post_id, label = uow.write(shop.sessions, prepare)
    return shop, post_id, label


def phone(out: Path) -> None:
    from playwright.sync_api import sync_playwright

    from moments_desk.core.relay.hub import RelayHub
    from moments_desk.scheduling.clock import SystemClock, local_zone

    work = Path(tempfile.mkdtemp(prefix="md-relay-"))
    shop, post_id, label = demo_shop(work)
    hub = RelayHub(shop.sessions, shop.paths.media, work / "relay", SystemClock(), local_zone())
    phone_profile = {
        "viewport": {"width": 390, "height": 844},
        "device_scale_factor": 2,
        "is_mobile": True,
        "has_touch": True,
        "locale": "zh-CN",
        "user_agent": (
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
            "(KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.50 NetType/WIFI Language/zh_CN"
        ),
    }
    try:
        post_relay = hub.open_post(post_id, None, "127.0.0.1", 0)
        today_relay = hub.open_today(label, "127.0.0.1", 0)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium", args=["--no-sandbox"]
            )
            context = browser.new_context(**phone_profile)
            page = context.new_page()
            page.goto(hub.url(post_relay))
            page.wait_for_load_state("networkidle")
            page.screenshot(path=str(out / "relay-phone-post.png"))
            page.screenshot(path=str(out / "relay-phone-post-full.png"), full_page=True)
            page.get_by_role("button", name="复制文案").first.tap()
            page.get_by_role("button", name="我已发布").first.tap()
            page.get_by_text("已记录为已发布").wait_for()
            page.wait_for_timeout(2200)  # the 已复制 toast fades
            page.locator(".posted-status").first.scroll_into_view_if_needed()
            page.screenshot(path=str(out / "relay-phone-posted.png"))
            page.goto(hub.url(today_relay))
            page.wait_for_load_state("networkidle")
            page.screenshot(path=str(out / "relay-phone-today.png"))
            browser.close()
    finally:
        hub.stop()
        shop.close()


def laptop(out: Path, size: str) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from moments_desk.scheduling.clock import SystemClock, local_zone
    from moments_desk.ui.context import AppContext
    from moments_desk.ui.i18n import apply_ui_font, install_translators
    from moments_desk.ui.kit.tasks import DbExecutor
    from moments_desk.ui.kit.theme import apply_theme
    from moments_desk.ui.main_window import MainWindow
    from moments_desk.ui.relay import dialog as relay_dialog

    width, height = (int(v) for v in size.split("x"))
    app = QApplication(sys.argv[:1])
    translators = install_translators(app, "zh_CN")
    app.setFont(apply_ui_font(app.font()))
    apply_theme(app)
    work = Path(tempfile.mkdtemp(prefix="md-relay-"))
    shop, post_id, _ = demo_shop(work)
    ctx = AppContext(shop, SystemClock(), local_zone(), DbExecutor(), "zh_CN")
    relay_dialog.candidate_addresses = lambda: ["192.168.1.23", "127.0.0.1"]  # type: ignore[assignment]
    window = MainWindow(ctx)
    window.setGeometry(0, 0, width, height)
    window.show()
    # The screenshot shows a LAN address, but the relay itself listens on loopback only.
    original = relay_dialog.RelayDialog.open_on

    def loopback(self: relay_dialog.RelayDialog, address: str) -> None:
        original(self, "127.0.0.1")

    relay_dialog.RelayDialog.open_on = loopback  # type: ignore[method-assign]
    dialog = relay_dialog.open_relay(ctx, relay_dialog.RelayTarget(post_id=post_id), window)
    import http.client

    def phone_visits() -> None:
        host, port = dialog.url.removeprefix("http://").split("/", 1)[0].split(":")
        path = "/" + dialog.url.removeprefix("http://").split("/", 1)[1]
        for suffix in ("", "/img/1", "/img/2", "/img/3", "/img/4", "/img/5", "/img/6"):
            conn = http.client.HTTPConnection(host, int(port), timeout=5)
            conn.request("GET", path + suffix)
            conn.getresponse().read()
            conn.close()
        conn = http.client.HTTPConnection(host, int(port), timeout=5)
        conn.request("POST", path + "/posted", body=b"")
        conn.getresponse().read()
        conn.close()

    def shoot() -> None:
        if not dialog.url:
            QTimer.singleShot(200, shoot)
            return
        phone_visits()
        QTimer.singleShot(800, grab)

    def grab() -> None:
        dialog.link.setText(dialog.url.replace("127.0.0.1", "192.168.1.23"))
        dialog.qr.setPixmap(relay_dialog.qr_pixmap(dialog.link.text()))
        app.processEvents()
        screen = app.primaryScreen()
        screen.grabWindow(0).save(str(out / f"relay-laptop-{width}x{height}.png"))
        dialog.grab().save(str(out / "relay-laptop-dialog.png"))
        app.quit()

    QTimer.singleShot(500, shoot)
    app.exec()
    ctx.executor.wait()
    relay_dialog.relay_service(ctx).stop()
    shop.close()
    del translators


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("what", choices=("phone", "laptop"))
    parser.add_argument("out", type=Path)
    parser.add_argument("--size", default="1366x768")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    if args.what == "phone":
        phone(args.out)
    else:
        laptop(args.out, args.size)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
