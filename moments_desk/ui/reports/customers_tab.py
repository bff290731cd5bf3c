"""Reports › Customers: RFM segments (a click lists them), the stage funnel and its movement,
repurchase, referrals and retention cohorts."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QCoreApplication, QLocale, Signal
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QScrollArea, QVBoxLayout, QWidget

from moments_desk.core.reports import bundles
from moments_desk.core.reports.bundles import CustomerReport
from moments_desk.core.reports.customers import Cohort, MonthMovement, Segment
from moments_desk.core.reports.table import ReportTable
from moments_desk.ui.kit import labels
from moments_desk.ui.kit.widgets import StatCard
from moments_desk.ui.reports.cards import ReportCard
from moments_desk.ui.reports.charts import BarChart
from moments_desk.ui.reports.localise import localise
from moments_desk.ui.reports.titles import segment_hint, segment_name

SEGMENTS = list(Segment)


def percent_text(value: float | None) -> str:
    if value is None:
        return "—"
    return QLocale().toString(value * 100, "f", 1) + "%"


class CustomersTab(QWidget):
    #: The seller asked for the customers of a segment.
    segment_requested = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.report: CustomerReport | None = None
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

        figures = QHBoxLayout()
        figures.setSpacing(12)
        self.card_buyers = StatCard(
            QCoreApplication.translate("CustomersReport", "Buyers in range")
        )
        self.card_repurchase = StatCard(
            QCoreApplication.translate("CustomersReport", "Repurchase rate")
        )
        self.card_referred = StatCard(
            QCoreApplication.translate("CustomersReport", "Friends brought by friends")
        )
        for card in (self.card_buyers, self.card_repurchase, self.card_referred):
            figures.addWidget(card)
        layout.addLayout(figures)

        grid = QGridLayout()
        grid.setSpacing(12)
        self.rfm_chart = BarChart()
        self.rfm_chart.bar_clicked.connect(lambda _s, i: self.segment_requested.emit(SEGMENTS[i]))
        self.rfm_card = ReportCard(
            QCoreApplication.translate(
                "CustomersReport", "RFM segments (click a bar for the list)"
            ),
            self.rfm_chart,
        )
        self.rfm_card.view.doubleClicked.connect(
            lambda index: self.segment_requested.emit(SEGMENTS[index.row()])
        )
        self.funnel_chart = BarChart(horizontal=True)
        self.funnel_card = ReportCard(
            QCoreApplication.translate("CustomersReport", "Stage funnel"), self.funnel_chart
        )
        self.movement_chart = BarChart()
        self.movement_card = ReportCard(
            QCoreApplication.translate("CustomersReport", "Stage movement by month"),
            self.movement_chart,
        )
        self.cohort_chart = BarChart(formatter=lambda v: QLocale().toString(v, "f", 1) + "%")
        self.cohort_card = ReportCard(
            QCoreApplication.translate("CustomersReport", "Retention by month of first order"),
            self.cohort_chart,
        )
        self.referral_card = ReportCard(
            QCoreApplication.translate("CustomersReport", "Who brought whom"), None
        )
        for report_card in self.cards():
            report_card.setMinimumHeight(300)
        self.referral_card.setMinimumHeight(220)
        # A cohort triangle reads best as a table; the chart shows next-month retention.
        self.cohort_card.show_table(True)
        grid.addWidget(self.rfm_card, 0, 0)
        grid.addWidget(self.funnel_card, 0, 1)
        grid.addWidget(self.movement_card, 1, 0)
        grid.addWidget(self.cohort_card, 1, 1)
        grid.addWidget(self.referral_card, 2, 0, 1, 2)
        layout.addLayout(grid)

    def cards(self) -> list[ReportCard]:
        return [
            self.rfm_card,
            self.funnel_card,
            self.movement_card,
            self.cohort_card,
            self.referral_card,
        ]

    def tables(self) -> list[tuple[ReportTable, str]]:
        return [
            (card.model.table, card.title) for card in self.cards() if card.model.table is not None
        ]

    def show_report(self, report: CustomerReport) -> None:
        self.report = report
        locale = QLocale()
        repurchase = report.repurchase
        self.card_buyers.set_value(locale.toString(repurchase.buyers))
        self.card_repurchase.set_value(
            percent_text(repurchase.rate),
            QCoreApplication.translate("CustomersReport", "{n} bought twice or more").format(
                n=locale.toString(repurchase.repeat_buyers)
            ),
        )
        self.card_referred.set_value(locale.toString(report.referred_total))
        self.referral_card.set_table(bundles.referrers_table(report))
        self.referral_card.note.setText(
            QCoreApplication.translate("CustomersReport", "{n} friends referred in range").format(
                n=locale.toString(report.referred_total)
            )
        )

        self.rfm_chart.set_data(
            [segment_name(s.segment) for s in report.segments],
            [
                (
                    QCoreApplication.translate("CustomersReport", "Customers"),
                    [s.customers for s in report.segments],
                )
            ],
        )
        self.rfm_chart.setToolTip(
            "\n".join(f"{segment_name(s)}: {segment_hint(s)}" for s in SEGMENTS)
        )
        self.rfm_card.set_table(localise(bundles.segments_table(report)))

        steps = list(reversed(report.funnel))  # horizontal bars draw bottom-up
        self.funnel_chart.set_data(
            [labels.customer_stage(s.stage) for s in steps],
            [
                (
                    QCoreApplication.translate("CustomersReport", "Reached it or beyond"),
                    [s.reached for s in steps],
                ),
                (
                    QCoreApplication.translate("CustomersReport", "At this stage now"),
                    [s.at_stage for s in steps],
                ),
            ],
        )
        self.funnel_card.set_table(localise(bundles.funnel_table(report)))
        self.show_trends(report.movement, report.cohorts)

    def show_trends(self, movement: list[MonthMovement], cohorts: list[Cohort]) -> None:
        """Stage movement and cohorts, which arrive after the rest of the report."""
        if self.report is None:
            return
        report = replace(self.report, movement=movement, cohorts=cohorts)
        self.report = report
        self.movement_chart.set_data(
            [m.month for m in report.movement],
            [
                (
                    QCoreApplication.translate("CustomersReport", "New friends"),
                    [m.new_friends for m in report.movement],
                ),
                (
                    QCoreApplication.translate("CustomersReport", "→ customer"),
                    [m.first_orders for m in report.movement],
                ),
                (
                    QCoreApplication.translate("CustomersReport", "→ fan"),
                    [m.second_orders for m in report.movement],
                ),
                (
                    QCoreApplication.translate("CustomersReport", "→ iron fan"),
                    [m.fifth_orders for m in report.movement],
                ),
            ],
        )
        self.movement_card.set_table(bundles.movement_table(report))

        with_next = [c for c in report.cohorts if len(c.active) > 1 and c.size]
        self.cohort_chart.set_data(
            [c.month for c in with_next],
            [
                (
                    QCoreApplication.translate("CustomersReport", "Ordered again the next month"),
                    [(c.retention(1) or 0.0) * 100 for c in with_next],
                )
            ],
        )
        self.cohort_card.set_table(bundles.cohorts_table(report))
