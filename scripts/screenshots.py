"""Screenshots of every screen on the demo shop: python scripts/screenshots.py OUT_DIR [--lang L]

Run under xvfb-run (with fonts-noto-cjk) to see real font rendering:
    xvfb-run -a -s "-screen 0 1440x900x24" .venv/bin/python scripts/screenshots.py docs/screenshots
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWidget

from moments_desk.core.demo import populate_demo
from moments_desk.scheduling.clock import SystemClock, local_zone
from moments_desk.startup import open_shop
from moments_desk.ui.context import AppContext
from moments_desk.ui.i18n import apply_ui_font, install_translators
from moments_desk.ui.main_window import MainWindow
from moments_desk.ui.tasks import DbExecutor
from moments_desk.ui.theme import apply_theme


def demo_pictures(folder: Path) -> list[Path]:
    """A few product photos drawn with Pillow, so picture screens have something to show."""
    from PIL import Image, ImageDraw

    colours = ["#E8D8C8", "#C9B8A6", "#8FA5B8", "#D6A4A4", "#A7B89A", "#E4C59E"]
    paths = []
    for index, colour in enumerate(colours):
        image = Image.new("RGB", (1200, 1200), colour)
        draw = ImageDraw.Draw(image)
        draw.ellipse((300, 200, 900, 800), fill="#FFFFFF")
        draw.rectangle((420, 650, 780, 1100), fill="#5B4B3A" if index % 2 else "#F5EFE6")
        path = folder / f"photo-{index + 1}.jpg"
        image.save(path, quality=90)
        paths.append(path)
    return paths


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
    work = Path(tempfile.mkdtemp(prefix="md-shots-"))
    shop = open_shop(work / "shop")
    populate_demo(shop.engine)
    pictures = demo_pictures(work)
    ctx = AppContext(shop, SystemClock(), local_zone(), DbExecutor(), args.lang)
    window = MainWindow(ctx)
    window.resize(1440, 860)
    window.show()
    suffix = args.lang
    steps: list[tuple[int, Callable[[], None]]] = []

    def grab(widget: QWidget, name: str) -> None:
        widget.grab().save(str(args.out / f"{name}-{suffix}.png"))

    def add_pictures_to_first_product() -> None:
        from moments_desk.core import catalogue, uow
        from moments_desk.core.media import register_media, store_image

        def work(s: object) -> None:
            from sqlalchemy.orm import Session

            assert isinstance(s, Session)
            product_id = window.products.model.product_id(0)
            detail = catalogue.get_product(s, product_id)
            for path in pictures[:4]:
                stored = store_image(path, shop.paths.media)
                detail.draft.image_media_ids.append(register_media(s, stored).id)
            catalogue.update_product(s, product_id, detail.draft)

        uow.write(shop.sessions, work)
        window.products.model.refresh_rows()
        window.products.table.selectRow(0)

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

    steps = [
        (1500, lambda: grab(window, "overview")),
        (10, lambda: window.nav.setCurrentRow(1)),
        (1000, add_pictures_to_first_product),
        (1500, lambda: grab(window, "products")),
        (10, picture_tools),
        (1800, import_preview),
        (2200, customer_detail),
        (1800, lambda: grab(window, "customers")),
        (10, lambda: window.customers.detail.tabs.setCurrentIndex(1)),
        (500, lambda: grab(window, "customer-details")),
        (10, customer_import_preview),
        (6000, taobao_import_preview),
        (6000, lambda: window.nav.setCurrentRow(7)),
        (500, lambda: grab(window, "settings")),
        (10, app.quit),
    ]

    def run_next() -> None:
        # One step at a time: timers scheduled all at once may fire out of order.
        if steps:
            wait, step = steps.pop(0)
            QTimer.singleShot(wait, lambda: (step(), run_next()))

    run_next()
    code = app.exec()
    ctx.executor.wait()
    shop.close()
    del translators
    return code


if __name__ == "__main__":
    raise SystemExit(main())
