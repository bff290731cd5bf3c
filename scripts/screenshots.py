"""Screenshots of every screen on the demo shop: python scripts/screenshots.py OUT_DIR [--lang L]

Run under xvfb-run (with fonts-noto-cjk) to see real font rendering:
    xvfb-run -a -s "-screen 0 1920x1080x24" .venv/bin/python scripts/screenshots.py docs/screenshots
    (add --size 1366x768 to see a small laptop screen)
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QScrollArea, QWidget

from moments_desk.core.demo.demo import populate_demo
from moments_desk.scheduling.clock import SystemClock, local_zone
from moments_desk.startup import open_shop
from moments_desk.ui.context import AppContext
from moments_desk.ui.i18n import apply_ui_font, install_translators
from moments_desk.ui.kit.tasks import DbExecutor
from moments_desk.ui.kit.theme import apply_theme
from moments_desk.ui.main_window import MainWindow


def demo_pictures(shop: Any) -> list[Path]:
    """The demo shop's own drawn photos (covers of the newest products), for dialogs that
    take files: the 九宫格 tool and the wizard's avatar."""
    from sqlalchemy import select

    from moments_desk.core.pictures.media import media_file_path
    from moments_desk.core.shared import uow
    from moments_desk.db.models import MediaFile, ProductImage

    rows = uow.read(
        shop.sessions,
        lambda s: list(
            s.scalars(
                select(MediaFile.rel_path)
                .join(ProductImage, ProductImage.media_id == MediaFile.id)
                .where(ProductImage.position == 0)
                .order_by(ProductImage.product_id)
                .limit(6)
            )
        ),
    )
    return [media_file_path(shop.paths.media, rel) for rel in rows]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path)
    parser.add_argument("--lang", default="zh_CN")
    parser.add_argument(
        "--size", default="1440x860", help="main window size, e.g. 1366x768 or 1920x1080"
    )
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    app = QApplication(sys.argv[:1])
    translators = install_translators(app, args.lang)
    app.setFont(apply_ui_font(app.font()))
    apply_theme(app)
    work = Path(tempfile.mkdtemp(prefix="md-shots-"))
    shop = open_shop(work / "shop")
    populate_demo(shop.engine, media_root=shop.paths.media)
    pictures = demo_pictures(shop)
    ctx = AppContext(shop, SystemClock(), local_zone(), DbExecutor(), args.lang)
    from moments_desk.ui.reminders.install import install_reminders
    from moments_desk.ui.users.login import sign_in_at_start

    sign_in_at_start(ctx, ask=False)
    window = MainWindow(ctx)
    reminders = install_reminders(ctx, window)
    width, height = (int(n) for n in args.size.lower().split("x"))
    window.resize(width, height)
    window.show()
    suffix = args.lang
    steps: list[tuple[int, Callable[[], None]]] = []

    def grab(widget: QWidget, name: str) -> None:
        widget.grab().save(str(args.out / f"{name}-{suffix}.png"))

    def picture_tools() -> None:
        from moments_desk.ui.products.picture_tools import PictureToolsDialog

        dialog = PictureToolsDialog(ctx, window)
        dialog.watermark.setText("小棉袄的衣橱")
        dialog.set_sources([pictures[2]])
        dialog.show()
        QTimer.singleShot(1200, lambda: (grab(dialog, "nine-grid"), dialog.close()))

    def import_preview() -> None:
        from moments_desk.ui.products.import_dialog import ProductImportDialog

        csv = work / "新品.csv"
        csv.write_bytes(
            (
                "货号,宝贝标题,类目,一口价,库存,上新日期,标签\n"
                "QZ2612-01,雾霾蓝法式方领连衣裙,连衣裙,¥259,12,2026-12-01,新品、法式\n"
                'QZ2612-02,燕麦色羊毛开衫,针织衫,"12,5",8,2026-12-01,新品\n'
                "QZ2612-03,黑色高腰阔腿裤,裤装,199,20,2026-02-30,百搭\n"
                "QZ2612-04,奶白色羊毛围巾,配饰,89,30,2026-12-01,保暖\n"
            ).encode("gb18030")
        )
        dialog = ProductImportDialog(ctx, window)
        dialog.start(csv)
        dialog.show()
        QTimer.singleShot(1500, lambda: (grab(dialog, "import-preview"), dialog.close()))

    # -- first-run wizard on a second, empty shop; the quick guide and the About box --------
    from moments_desk.ui.wizard.language import LanguageSwitcher
    from moments_desk.ui.wizard.base import PAGE_IMPORT
    from moments_desk.ui.wizard.wizard import FirstRunWizard

    empty_shop = open_shop(work / "new-shop")
    empty_ctx = AppContext(empty_shop, SystemClock(), local_zone(), DbExecutor(), args.lang)
    switcher = LanguageSwitcher(app, args.lang, [])
    wizards: list[FirstRunWizard] = []

    def new_wizard() -> FirstRunWizard:
        from moments_desk.core.setup.first_run import load_existing
        from moments_desk.core.shared import uow

        existing = uow.read(empty_shop.sessions, load_existing)
        wizard = FirstRunWizard(empty_ctx, switcher, existing, at_start=True)
        wizard.resize(900, 660)
        wizard.show()
        wizards.append(wizard)
        return wizard

    def wizard_steps() -> list[tuple[int, Callable[[], None]]]:
        def fill_shop() -> None:
            wizard = wizards[-1]
            wizard.shop_page.shop_name.setText("小棉袄的衣橱")
            card = wizard.shop_page.cards[0]
            card.nickname.setText("小棉袄")
            card.wechat_id.setText("mianao_closet")
            card.set_avatar(pictures[3])
            second = wizard.shop_page.add_card()
            second.label.setText("小号")
            second.nickname.setText("小棉袄·小号")

        def demo_page() -> None:
            wizards[-1].close()
            wizard = new_wizard()
            wizard.language_page.demo.setChecked(True)
            wizard.next()

        return [
            (10, new_wizard),
            (600, lambda: grab(wizards[-1], "wizard-1-language")),
            (10, lambda: wizards[-1].next()),
            (10, fill_shop),
            (600, lambda: grab(wizards[-1], "wizard-2-shop")),
            (10, lambda: wizards[-1].next()),
            (600, lambda: grab(wizards[-1], "wizard-3-rhythm")),
            (10, lambda: wizards[-1].next()),  # "Create my shop": one transaction
            (1500, lambda: grab(wizards[-1], "wizard-4-import")),
            (10, lambda: wizards[-1].currentId() == PAGE_IMPORT and wizards[-1].next()),
            (600, lambda: grab(wizards[-1], "wizard-5-data-folder")),
            (10, demo_page),
            (600, lambda: grab(wizards[-1], "wizard-6-demo")),
            (10, lambda: wizards[-1].close()),
        ]

    def quick_guide() -> None:
        from moments_desk.ui.help import show_quick_guide

        dialog = show_quick_guide(window)
        QTimer.singleShot(800, lambda: (grab(dialog, "quick-guide"), dialog.close()))

    def about() -> None:
        from moments_desk.ui.about import show_about

        dialog = show_about(window, shop)
        QTimer.singleShot(800, lambda: (grab(dialog, "about"), dialog.close()))

    def grab_when_planned(dialog: Any, name: str, tries: int = 100) -> None:
        """The plan is checked on the DB thread: grab once it is shown (or after 20 s)."""
        if dialog.plan is None and tries > 0:
            QTimer.singleShot(200, lambda: grab_when_planned(dialog, name, tries - 1))
            return
        QTimer.singleShot(300, lambda: (grab(dialog, name), dialog.close()))

    def customer_import_preview() -> None:
        from moments_desk.ui.customers.import_dialogs import CustomerImportDialog

        csv = work / "微信好友.csv"
        csv.write_bytes(
            (
                "微信号,昵称,备注,手机,生日,性别,城市,标签,地址\n"
                "lily_0312,小美🌸,杭州-王丽,13800138000,农历三月初五,女,杭州,铁粉;宝妈,"
                '"浙江省 杭州市 西湖区 文三路 1 号(310012)"\n'
                "wx_chen88,陈陈,上海-陈姐,13912345678,1988-07-09,女,上海,老客,\n"
                "zeng_xm,曾小梅,,139123456789,2月30日,女,成都,,\n"
                "amy-zhou,Amy周,苏州-周老师,13711112222,12月1日,女,苏州,新客,\n"
                "lily_0312,美美,,13600001111,农历闰十二月初一,女,,,\n"
            ).encode("gb18030")
        )
        accounts = window.customers.accounts
        dialog = CustomerImportDialog(ctx, accounts, accounts[0][0] if accounts else None, window)
        dialog.start(csv)
        dialog.show()
        grab_when_planned(dialog, "customer-import-preview")

    def taobao_import_preview() -> None:
        from moments_desk.ui.customers.import_dialogs import TaobaoImportDialog

        csv = work / "ExportOrderList202611.csv"
        csv.write_bytes(
            (
                "订单编号 ,买家会员名 ,买家实际支付金额 ,买家应付邮费 ,订单状态 ,收货人姓名 ,"
                "收货地址 ,联系手机 ,宝贝标题 ,宝贝总数量 ,订单创建时间 ,订单付款时间 \r\n"
                '="3515220019873601",tb_wangli,259.00,0.00,"买家已付款，等待卖家发货",王丽,'
                '"浙江省 杭州市 西湖区 文三路 1 号(310012)",\'13800138000,雾霾蓝法式方领连衣裙,1,'
                "2026-11-20 20:15:33,2026-11-20 20:16:02\r\n"
                '="3515220019873602",tb_chenchen,398.00,0.00,交易成功,陈静,'
                '"上海 上海市 浦东新区 世纪大道 100 号(200120)",\'13912345678,燕麦色羊毛开衫,2,'
                "2026-11-02 21:03:10,2026-11-02 21:03:40\r\n"
                '="3515220019873603",tb_amyzhou,89.00,10.00,"卖家已发货，等待买家确认",周敏,'
                '"江苏省 苏州市 姑苏区 平江路 8 号(215000)",\'13711112222,奶白色羊毛围巾,1,'
                "2026-11-18 09:30:00,2026-11-18 09:31:12\r\n"
                '="3515220019873604",tb_xiaoyu,199.00,0.00,等待买家付款,李雨,'
                '"四川省 成都市 锦江区 春熙路 66 号(610000)",\'13522223333,黑色高腰阔腿裤,1,'
                "2026-11-21 22:40:51,\r\n"
                '="3515220019873605",tb_xiaoyu,129.00,0.00,交易关闭,李雨,'
                '"四川省 成都市 锦江区 春熙路 66 号(610000)",\'13522223333,针织打底衫,1,'
                "2026-11-10 12:00:00,\r\n"
            ).encode("gbk")
        )
        accounts = window.customers.accounts
        dialog = TaobaoImportDialog(ctx, accounts, accounts[0][0] if accounts else None, window)
        dialog.start(csv)
        dialog.show()
        grab_when_planned(dialog, "taobao-import-preview")

    def customer_detail() -> None:
        window.nav.setCurrentRow(2)
        QTimer.singleShot(800, lambda: window.customers.table.selectRow(0))

    def backup_settings() -> None:
        from PySide6.QtWidgets import QScrollArea

        from moments_desk.core.safety.backup import AUTO
        from moments_desk.core.safety.snapshots import snapshot
        from moments_desk.ui.pages.settings import SettingsPage

        page = window.stack.currentWidget()
        assert isinstance(page, SettingsPage)
        snapshot(shop.engine, shop.paths.backups, AUTO)
        page.backup.refresh()
        page.backup.run_check()
        scroll = page.findChild(QScrollArea)
        assert scroll is not None
        QTimer.singleShot(
            600, lambda: (scroll.ensureWidgetVisible(page.backup, 0, 0), grab_later())
        )

        def grab_later() -> None:
            QTimer.singleShot(400, lambda: grab(window, "backup-settings"))

    def backup_questions() -> None:
        from moments_desk.core.safety.archive import create_archive
        from moments_desk.ui.backup_dialogs import damaged_question, restore_question

        archive = work / "朋友圈卖货台-备份-20261122.zip"
        manifest = create_archive(shop.engine, shop.paths.media, archive)
        box = restore_question(window, manifest, str(archive))
        box.show()

        def damaged() -> None:
            box.close()
            broken = damaged_question(
                "database disk image is malformed", str(shop.paths.database), manifest
            )
            broken.show()
            QTimer.singleShot(600, lambda: (grab(broken, "integrity-failure"), broken.close()))

        QTimer.singleShot(600, lambda: (grab(box, "restore-confirm"), damaged()))

    def tracking_entry() -> None:
        from sqlalchemy import select

        from moments_desk.core.shared import uow
        from moments_desk.db.models import Customer, PostKind

        page = window.tracking
        arrival = next(p for p in page._posts.values() if p.kind is PostKind.NEW_ARRIVAL)
        page.select_post(arrival.id)
        account = arrival.account_ids[0]
        names = uow.read(
            shop.sessions,
            lambda s: list(
                s.scalars(
                    select(Customer.nickname)
                    .where(Customer.account_id == account, Customer.remark == "")
                    .order_by(Customer.id.desc())
                    .limit(9)
                )
            ),
        )
        likes = "，".join([*names[:6], names[0], "陌生的小鹿🦌", names[6][:-1] + "呀"])
        page.quick_entry.paste.setPlainText(
            f"{likes}\n{names[7]}：好看！多少钱\n{names[8]}: 有M码吗？"
        )
        page.quick_entry.match()

    def tracking_draw() -> None:
        from moments_desk.db.models import PostKind

        page = window.tracking
        pick = next(p for p in page._posts.values() if p.kind is PostKind.PROMOTION)
        page.select_post(pick.id)
        page.tabs.setCurrentWidget(page.draws)

    def order_editor() -> None:
        editor = window.orders.open_order(window.orders.model.item_id(0))
        editor.resize(820, 700)
        QTimer.singleShot(1200, lambda: (grab(editor, "order-editor"), editor.close()))

    def scroll_posts_down() -> None:
        from PySide6.QtWidgets import QScrollArea

        area = window.reports.posts.findChild(QScrollArea)
        assert area is not None
        area.verticalScrollBar().setValue(window.reports.posts.heatmap_card.y() - 8)

    def scroll_customers_down() -> None:
        from PySide6.QtWidgets import QScrollArea

        area = window.reports.customers.findChild(QScrollArea)
        assert area is not None
        area.verticalScrollBar().setValue(window.reports.customers.movement_card.y() - 8)

    def reports_ready() -> bool:
        page = window.reports
        tab = page.posts if page.current_tab() == "posts" else page.customers
        return tab.report is not None and not page.status.text()

    def missed_list() -> None:
        dialog = reminders.missed_dialog
        if dialog is not None:
            grab(dialog, "missed")

    def publish_helper() -> None:
        if reminders.missed_dialog is not None:
            reminders.missed_dialog.close()
        due = reminders.service.state.posts
        if due:
            from sqlalchemy import update

            from moments_desk.core.shared import uow
            from moments_desk.db.models import AudienceMode, Post, post_audience_tag

            post_id = due[-1].id

            def dress(s: object) -> None:
                from sqlalchemy.orm import Session

                assert isinstance(s, Session)
                s.execute(
                    update(Post)
                    .where(Post.id == post_id)
                    .values(audience_mode=AudienceMode.VISIBLE_TO)
                )
                s.execute(
                    post_audience_tag.insert(),
                    [{"post_id": post_id, "tag_id": 1}, {"post_id": post_id, "tag_id": 2}],
                )

            uow.write(shop.sessions, dress)
            dialog = reminders.open_publish(post_id)
            dialog.open_folder = lambda folder: None
            QTimer.singleShot(900, lambda: (grab(dialog, "publish-helper"), dialog.close()))

    def login() -> None:
        from moments_desk.core.shared import uow
        from moments_desk.core.team import users
        from moments_desk.ui.users.login import LoginDialog

        dialog = LoginDialog(ctx, uow.read(shop.sessions, users.list_users), window)
        dialog.profile.setCurrentIndex(1)
        dialog.message.setText(dialog.describe(users.SignIn(False, 2, None), ctx.clock.now()))
        dialog.show()
        QTimer.singleShot(400, lambda: (grab(dialog, "sign-in"), dialog.close()))

    def audit_log() -> None:
        from moments_desk.ui.users.audit_dialog import AuditLogDialog

        dialog = AuditLogDialog(ctx, window)
        dialog.show()
        QTimer.singleShot(900, lambda: (grab(dialog, "audit-log"), dialog.close()))

    def team_settings() -> None:
        page = window.stack.currentWidget()
        from moments_desk.ui.pages.settings import SettingsPage

        if isinstance(page, SettingsPage):
            scroll = page.findChild(QScrollArea)
            if scroll is not None:
                scroll.ensureWidgetVisible(page.team)
        QTimer.singleShot(400, lambda: grab(window, "team-settings"))

    def stage_settings() -> None:
        from moments_desk.ui.pages.settings import SettingsPage

        page = window.stack.currentWidget()
        if isinstance(page, SettingsPage):
            scroll = page.findChild(QScrollArea)
            if scroll is not None:
                scroll.ensureWidgetVisible(page.stages, 0, 200)
        QTimer.singleShot(400, lambda: grab(window, "stage-settings"))

    def plan_four_weeks() -> None:
        """The seller scenario: "plan 4 weeks" on the demo shop (its products have photos)."""
        from moments_desk.core.planning.drafting import plan_weeks
        from moments_desk.core.shared import uow

        uow.write(shop.sessions, lambda s: plan_weeks(s, 4, ctx.clock.now(), zone=ctx.zone))
        window.nav.setCurrentRow(3)
        window.planner.step(2)  # the first week "plan 4 weeks" filled

    def composer() -> None:
        from moments_desk.db.models import PostKind

        board = window.planner.board
        assert board is not None
        post = next(
            (p for p in board.posts if p.kind is PostKind.NEW_ARRIVAL and len(p.images) >= 3),
            board.posts[0],
        )
        window.planner.open_composer(post.id)

    def close_composer() -> None:
        window.planner.composer.dirty = False
        window.planner.composer.reject()

    steps = [
        (1500, missed_list),
        (10, lambda: grab(window, "due-now")),
        (10, publish_helper),
        (1200, lambda: grab(window, "overview")),
        (1500, login),
        (800, audit_log),
        (10, lambda: window.nav.setCurrentRow(1)),
        (1000, lambda: window.products.table.selectRow(0)),
        (1500, lambda: grab(window, "products")),
        (10, picture_tools),
        (1800, import_preview),
        (2200, customer_detail),
        (1800, lambda: grab(window, "customers")),
        (10, lambda: window.customers.detail.tabs.setCurrentIndex(1)),
        (500, lambda: grab(window, "customer-details")),
        (10, lambda: window.customers.search.setText("xmj")),  # 解 read as a surname: xie
        (1200, lambda: grab(window, "customers-search-pinyin")),
        (10, lambda: window.customers.search.clear()),
        (10, lambda: window.nav.setCurrentRow(4)),
        (1500, tracking_entry),
        (1500, lambda: grab(window, "tracking-entry")),
        (10, lambda: window.tracking.tabs.setCurrentWidget(window.tracking.allocation)),
        (800, lambda: grab(window, "tracking-allocation")),
        (10, tracking_draw),
        (1200, lambda: grab(window, "tracking-draw")),
        (10, lambda: window.nav.setCurrentRow(5)),
        (1500, lambda: grab(window, "orders")),
        (10, order_editor),
        (2000, lambda: None),
        (10, lambda: window.nav.setCurrentRow(6)),
        (500, lambda: None),
        (0, lambda: grab(window, "reports-posts")),
        (10, scroll_posts_down),
        (600, lambda: grab(window, "reports-posts-charts")),
        (10, lambda: window.reports.tabs.setCurrentIndex(1)),
        (500, lambda: None),
        (0, lambda: grab(window, "reports-customers")),
        (10, scroll_customers_down),
        (600, lambda: grab(window, "reports-customers-charts")),
        (10, plan_four_weeks),
        (1800, lambda: grab(window, "planner-week")),
        (10, lambda: (window.planner.go_today(), window.planner.set_month_mode(True))),
        (1500, lambda: grab(window, "planner-month")),
        (10, lambda: (window.planner.set_month_mode(False), window.planner.step(2))),
        (10, lambda: window.planner.step(1)),
        (1500, composer),
        (2500, lambda: grab(window.planner.composer, "composer")),
        (10, close_composer),
        (10, window.planner.edit_cadence),
        (1000, lambda: window.planner.cadence_dialog.table.selectRow(2)),
        (800, lambda: grab(window.planner.cadence_dialog, "cadence")),
        (10, lambda: window.planner.cadence_dialog.accept()),
        (10, lambda: window.nav.setCurrentRow(7)),
        (10, customer_import_preview),
        (6000, taobao_import_preview),
        (6000, lambda: window.nav.setCurrentRow(7)),
        (500, lambda: grab(window, "settings")),
        (10, backup_settings),
        (2000, backup_questions),
        (2000, lambda: None),
        (10, quick_guide),
        (1200, about),
        (1200, lambda: None),
        *wizard_steps(),
        (10, lambda: window.nav.setCurrentRow(7)),
        (10, team_settings),
        (800, stage_settings),
        (800, app.quit),
    ]

    def run_next() -> None:
        # One step at a time: timers scheduled all at once may fire out of order.
        if steps:
            wait, step = steps.pop(0)
            if wait == 0 and not reports_ready():  # a report still calculating: wait for it
                steps.insert(0, (wait, step))
                QTimer.singleShot(200, run_next)
                return
            QTimer.singleShot(wait, lambda: (step(), run_next()))

    run_next()
    code = app.exec()
    reminders.stop()
    ctx.executor.wait()
    empty_ctx.executor.wait()
    empty_shop.close()
    shop.close()
    del translators
    return code


if __name__ == "__main__":
    raise SystemExit(main())
