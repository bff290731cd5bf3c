"""The customers behind one RFM segment, one click from the chart."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from moments_desk.core.reports.bundles import members_table
from moments_desk.core.reports.customers import Segment, SegmentMember
from moments_desk.ui.reports.cards import ReportCard
from moments_desk.ui.reports.titles import segment_hint, segment_name


class SegmentDialog(QDialog):
    """Double-clicking a customer opens her on the Customers page."""

    customer_requested = Signal(int)

    def __init__(
        self,
        segment: Segment,
        members: list[SegmentMember],
        zone: object,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(segment_name(segment))
        self.resize(760, 520)
        layout = QVBoxLayout(self)
        hint = QLabel(segment_hint(segment))
        hint.setObjectName("muted")
        layout.addWidget(hint)
        self.card = ReportCard(segment_name(segment), None)
        from datetime import tzinfo

        assert isinstance(zone, tzinfo)
        self.card.set_table(members_table(members, zone))
        count = len(members)
        self.card.note.setText(
            QCoreApplication.translate("SegmentDialog", "Customers: %n", "", count)
        )
        self.card.view.doubleClicked.connect(
            lambda index: self.customer_requested.emit(members[index.row()].customer_id)
        )
        hint.setText(
            segment_hint(segment)
            + " · "
            + QCoreApplication.translate("SegmentDialog", "double-click a customer to open her")
        )
        layout.addWidget(self.card, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
