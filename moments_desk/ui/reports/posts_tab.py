"""Reports › Post performance: the sortable post table, mix by kind and category, the
weekday × hour heatmap with the best slots, and cadence kept vs missed."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLocale, Qt, Signal
from PySide6.QtWidgets import QGridLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from moments_desk.core.reports import bundles
from moments_desk.core.reports.bundles import PostReport
from moments_desk.core.reports.posts import PostSort
from moments_desk.core.reports.table import ReportTable, yuan
from moments_desk.core.reports.variants import variants_table
from moments_desk.db.models import PostKind
from moments_desk.ui.kit import labels
from moments_desk.ui.reports.cards import ReportCard
from moments_desk.ui.reports.charts import BarChart, Heatmap
from moments_desk.ui.reports.localise import localise
from moments_desk.ui.reports.titles import weekday_short

#: Table column → the SQL sort it asks for.
SORT_BY_COLUMN = {
    "posted_at": PostSort.POSTED_AT,
    "kind": PostSort.KIND,
    "likes": PostSort.LIKES,
    "comments": PostSort.COMMENTS,
    "inquiries": PostSort.INQUIRIES,
    "orders": PostSort.ORDERS,
    "revenue": PostSort.REVENUE,
    "reach": PostSort.REACH,
    "conversion_reach": PostSort.CONVERSION_REACH,
    "conversion_interactions": PostSort.CONVERSION_INTERACTIONS,
}


def money_text(value: float) -> str:
    return "¥" + QLocale().toString(value, "f", 0)


class PostsTab(QWidget):
    sort_requested = Signal(object, bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.report: PostReport | None = None
        self.sort = PostSort.POSTED_AT
        self.descending = True
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        outer.addWidget(scroll)
        body = QWidget()
        body.setObjectName("page")
        scroll.setWidget(body)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(0, 8, 8, 8)
        layout.setSpacing(12)

        self.best = QLabel("")
        self.best.setObjectName("insight")
        self.best.setWordWrap(True)
        layout.addWidget(self.best)

        self.posts_card = ReportCard(
            QCoreApplication.translate("PostsReport", "Every post (click a heading to sort)"), None
        )
        self.posts_card.setMinimumHeight(300)
        header = self.posts_card.view.horizontalHeader()
        header.setSortIndicatorShown(True)
        header.setSectionsClickable(True)
        header.sectionClicked.connect(self._header_clicked)
        layout.addWidget(self.posts_card)

        grid = QGridLayout()
        grid.setSpacing(12)
        self.heatmap = Heatmap()
        self.heatmap_card = ReportCard(
            QCoreApplication.translate("PostsReport", "Orders per post by weekday and hour"),
            self.heatmap,
        )
        self.heatmap_card.setMinimumHeight(300)
        grid.addWidget(self.heatmap_card, 0, 0, 1, 2)
        self.kind_chart = BarChart()
        self.kind_card = ReportCard(
            QCoreApplication.translate("PostsReport", "By kind of post"), self.kind_chart
        )
        self.category_chart = BarChart(formatter=money_text)
        self.category_card = ReportCard(
            QCoreApplication.translate("PostsReport", "Revenue by product category"),
            self.category_chart,
        )
        self.cadence_chart = BarChart(stacked=True)
        self.cadence_card = ReportCard(
            QCoreApplication.translate("PostsReport", "Cadence kept vs missed"), self.cadence_chart
        )
        for card in (self.kind_card, self.category_card, self.cadence_card):
            card.setMinimumHeight(300)
        grid.addWidget(self.kind_card, 1, 0)
        grid.addWidget(self.category_card, 1, 1)
        grid.addWidget(self.cadence_card, 2, 0, 1, 2)
        # Which sizes sell and which are left, per category: the table is the chart here.
        self.size_card = ReportCard(
            QCoreApplication.translate("PostsReport", "Sales and stock by size"), None
        )
        self.size_card.show_table(True)
        grid.addWidget(self.size_card, 3, 0, 1, 2)
        layout.addLayout(grid)

    def cards(self) -> list[ReportCard]:
        return [
            self.posts_card,
            self.heatmap_card,
            self.kind_card,
            self.category_card,
            self.cadence_card,
            self.size_card,
        ]

    def tables(self) -> list[tuple[ReportTable, str]]:
        return [
            (card.model.table, card.title) for card in self.cards() if card.model.table is not None
        ]

    def _header_clicked(self, section: int) -> None:
        table = self.posts_card.model.table
        if table is None or table.columns[section].key not in SORT_BY_COLUMN:
            return
        wanted = SORT_BY_COLUMN[table.columns[section].key]
        self.descending = not self.descending if wanted == self.sort else True
        self.sort = wanted
        self.sort_requested.emit(self.sort, self.descending)

    def show_report(self, report: PostReport) -> None:
        self.report = report
        self.posts_card.set_table(localise(bundles.posts_table(report)))
        keys = [c.key for c in self.posts_card.model.table.columns]  # type: ignore[union-attr]
        for key, sort in SORT_BY_COLUMN.items():
            if sort == self.sort:
                order = (
                    Qt.SortOrder.DescendingOrder if self.descending else Qt.SortOrder.AscendingOrder
                )
                self.posts_card.view.horizontalHeader().setSortIndicator(keys.index(key), order)
        header = self.posts_card.view.horizontalHeader()
        text_column = keys.index("text")
        header.setSectionResizeMode(text_column, header.ResizeMode.Interactive)
        header.resizeSection(text_column, 240)
        count = len(report.rows)
        self.posts_card.note.setText(
            QCoreApplication.translate("PostsReport", "Posts: %n", "", count)
        )
        self._show_heatmap(report)
        self._show_kinds(report)
        self._show_categories(report)
        self._show_cadence(report)
        self.size_card.set_table(variants_table(report.sizes))

    def _show_heatmap(self, report: PostReport) -> None:
        locale = QLocale()
        values = [[0.0] * 24 for _ in range(7)]
        tips = [[""] * 24 for _ in range(7)]
        for cell in report.cells:
            if not cell.posts:
                continue  # no tooltip and no figure: nothing was posted then
            values[cell.weekday][cell.hour] = cell.orders_per_post
            tips[cell.weekday][cell.hour] = QCoreApplication.translate(
                "PostsReport",
                "{day} {hour}:00 · {posts} posts · {orders} orders · {per} orders per post · "
                "{inter} interactions",
            ).format(
                day=weekday_short(cell.weekday),
                hour=f"{cell.hour:02d}",
                posts=cell.posts,
                orders=cell.orders,
                per=locale.toString(cell.orders_per_post, "f", 1),
                inter=cell.interactions,
            )
        self.heatmap.set_data(
            [weekday_short(d) for d in range(7)],
            [f"{h:02d}" for h in range(24)],
            values,
            tips,
            {(c.weekday, c.hour) for c in report.best},
        )
        self.heatmap_card.set_table(localise(bundles.heatmap_table(report)))
        if report.best:
            # Chinese lists take 、, English ones a comma.
            slots = QCoreApplication.translate("PostsReport", ", ").join(
                QCoreApplication.translate(
                    "PostsReport", "{day} {hour}:00 ({per} orders/post)"
                ).format(
                    day=weekday_short(c.weekday),
                    hour=f"{c.hour:02d}",
                    per=locale.toString(c.orders_per_post, "f", 1),
                )
                for c in report.best
            )
            self.best.setText(
                QCoreApplication.translate(
                    "PostsReport", "Best times to post in this range: {slots}"
                ).format(slots=slots)
            )
        else:
            self.best.setText(
                QCoreApplication.translate(
                    "PostsReport",
                    "No posted posts in this range yet: mark posts as posted to see what works.",
                )
            )

    def _show_kinds(self, report: PostReport) -> None:
        self.kind_chart.set_data(
            [labels.post_kind(_kind(g.key)) for g in report.kinds],
            [
                (
                    QCoreApplication.translate("PostsReport", "Posts"),
                    [g.posts for g in report.kinds],
                ),
                (
                    QCoreApplication.translate("PostsReport", "Orders"),
                    [g.orders for g in report.kinds],
                ),
            ],
        )
        self.kind_card.set_table(
            localise(bundles.groups_table("kinds", "By kind of post", report.kinds))
        )

    def _show_categories(self, report: PostReport) -> None:
        top = report.categories[:8]
        self.category_chart.set_data(
            [g.key or QCoreApplication.translate("PostsReport", "(none)") for g in top],
            [
                (
                    QCoreApplication.translate("PostsReport", "Revenue"),
                    [float(yuan(g.revenue_fen)) for g in top],
                )
            ],
        )
        self.category_card.set_table(
            bundles.groups_table("categories", "By product category", report.categories)
        )

    def _show_cadence(self, report: PostReport) -> None:
        names = []
        for c in report.cadence:
            day = "" if c.weekday is None else weekday_short(c.weekday)
            names.append(f"{day} {c.time_of_day:%H:%M} {c.label}".strip())
        self.cadence_chart.set_data(
            names,
            [
                (
                    QCoreApplication.translate("PostsReport", "Kept"),
                    [c.kept for c in report.cadence],
                ),
                (
                    QCoreApplication.translate("PostsReport", "Missed"),
                    [c.missed for c in report.cadence],
                ),
            ],
        )
        self.cadence_card.set_table(localise(bundles.cadence_table(report)))
        kept = sum(c.kept for c in report.cadence)
        planned = sum(c.planned for c in report.cadence)
        self.cadence_card.note.setText(
            QCoreApplication.translate("PostsReport", "{kept} of {planned} kept").format(
                kept=kept, planned=planned
            )
        )


def _kind(value: str) -> PostKind:
    return PostKind(value)
