"""The app's look: Fusion plus a small stylesheet in WeChat-adjacent colours."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

ACCENT = "#07A35A"
ACCENT_SOFT = "#E7F6EE"
TEXT = "#1F2329"
MUTED = "#6B7280"
BORDER = "#E3E5E8"
SIDEBAR = "#F4F5F7"

STYLESHEET = f"""
QMainWindow, QWidget#page {{ background: #FFFFFF; }}
QWidget#sidebar {{ background: {SIDEBAR}; border-right: 1px solid {BORDER}; }}
QLabel#brand {{ font-size: 17px; font-weight: 600; color: {TEXT}; padding: 18px 16px 2px 18px; }}
QLabel#brandSub {{ color: {MUTED}; padding: 0 16px 14px 18px; }}
QListWidget#nav {{ background: transparent; border: none; outline: none; font-size: 14px; }}
QListWidget#nav::item {{ padding: 9px 14px; margin: 1px 8px; border-radius: 6px; color: {TEXT}; }}
QListWidget#nav::item:hover {{ background: #EAECEF; }}
QListWidget#nav::item:selected {{ background: {ACCENT_SOFT}; color: {ACCENT}; font-weight: 600; }}
QLabel#pageTitle {{ font-size: 22px; font-weight: 600; color: {TEXT}; }}
QLabel#pageSubtitle {{ color: {MUTED}; }}
QLabel#muted {{ color: {MUTED}; }}
QFrame#card {{ background: #FFFFFF; border: 1px solid {BORDER}; border-radius: 10px; }}
QLabel#cardValue {{ font-size: 26px; font-weight: 600; color: {TEXT}; }}
QLabel#cardLabel {{ color: {MUTED}; }}
QLabel#cardHint {{ color: {ACCENT}; font-size: 12px; }}
QLabel#sectionTitle {{ font-size: 15px; font-weight: 600; color: {TEXT}; }}
QFrame#emptyState {{ background: #FAFAFB; border: 1px dashed {BORDER}; border-radius: 10px; }}
QLabel#emptyTitle {{ font-size: 16px; font-weight: 600; color: {TEXT}; }}
QPushButton#primary {{
    background: {ACCENT}; color: white; border: none; border-radius: 6px; padding: 7px 16px;
    font-weight: 600;
}}
QPushButton#primary:hover {{ background: #06924F; }}
QPushButton#primary:disabled {{ background: #9CCFB4; }}
QLabel#errorText {{
    color: #B91C1C; background: #FEF2F2; border: 1px solid #FECACA; border-radius: 6px;
    padding: 6px 10px;
}}
QPushButton#danger {{ color: #B91C1C; }}
QTableView {{ border: 1px solid {BORDER}; border-radius: 8px; gridline-color: #F0F1F3;
    alternate-background-color: #FAFBFC; selection-background-color: {ACCENT_SOFT};
    selection-color: {TEXT}; }}
QTableWidget {{ border: 1px solid {BORDER}; border-radius: 8px; gridline-color: #F0F1F3; }}
QHeaderView::section {{
    background: #FAFAFB; border: none; border-bottom: 1px solid {BORDER};
    padding: 6px; color: {MUTED};
}}
"""


def apply_theme(app: QApplication) -> None:
    app.setStyle("Fusion")
    app.setStyleSheet(STYLESHEET)
