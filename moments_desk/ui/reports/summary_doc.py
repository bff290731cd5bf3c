"""The weekly summary as HTML (to send or print) and PDF (QTextDocument → QPdfWriter)."""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLocale, QMarginsF, QSizeF
from PySide6.QtGui import QPageLayout, QPageSize, QPdfWriter, QTextDocument

from moments_desk.core.reports.summary import WeeklySummary
from moments_desk.core.reports.table import yuan
from moments_desk.ui.kit import labels
from moments_desk.ui.reports.titles import weekday_short


def _change(now: float, before: float) -> str:
    if not before:
        return ""
    delta = (now - before) / before * 100
    return f" ({'+' if delta >= 0 else ''}{QLocale().toString(delta, 'f', 0)}%)"


def summary_html(summary: WeeklySummary, shop_name: str) -> str:
    t = {
        "s0": QCoreApplication.translate("WeeklySummary", "Weekly summary · {shop}"),
        "plain": QCoreApplication.translate("WeeklySummary", "Weekly summary"),
        "s1": QCoreApplication.translate("WeeklySummary", "Sales"),
        "s2": QCoreApplication.translate("WeeklySummary", "Orders"),
        "s3": QCoreApplication.translate("WeeklySummary", "Revenue"),
        "s4": QCoreApplication.translate("WeeklySummary", "The week before"),
        "s5": QCoreApplication.translate("WeeklySummary", "New friend-customers"),
        "s6": QCoreApplication.translate("WeeklySummary", "Bought twice or more"),
        "s7": QCoreApplication.translate("WeeklySummary", "Moments posts"),
    }
    locale = QLocale()
    f = summary.filter

    def money(amount_fen: int) -> str:
        return "¥" + locale.toString(float(yuan(amount_fen)), "f", 0)

    rows = sorted(summary.posts.rows, key=lambda r: (-r.orders, -r.interactions))[:5]
    total_posts = len(summary.posts.rows)
    share = summary.sales_posts / total_posts * 100 if total_posts else 0.0
    e = html.escape
    parts = [
        "<html><head><meta charset='utf-8'><style>",
        "body{font-family:'Noto Sans CJK SC','Microsoft YaHei','PingFang SC',sans-serif;"
        "color:#1F2329;margin:24px;} h1{font-size:20px;margin:0 0 4px 0;} "
        "h2{font-size:15px;margin:18px 0 6px 0;color:#07A35A;} .muted{color:#6B7280;} "
        "table{border-collapse:collapse;} td,th{padding:4px 10px;border-bottom:1px solid #E3E5E8;"
        "text-align:left;} td.n{text-align:right;}",
        "</style></head><body>",
        f"<h1>{e(t['s0'].format(shop=shop_name) if shop_name else t['plain'])}</h1>",
        f"<p class='muted'>{e(f.start.isoformat())} – {e(f.end.isoformat())}</p>",
        f"<h2>{e(t['s1'])}</h2><table>",
        f"<tr><td>{e(t['s2'])}</td>"
        f"<td class='n'>{summary.orders}{_change(summary.orders, summary.orders_before)}</td></tr>",
        f"<tr><td>{e(t['s3'])}</td>"
        f"<td class='n'>{money(summary.revenue_fen)}"
        f"{_change(summary.revenue_fen, summary.revenue_before_fen)}</td></tr>",
        f"<tr><td>{e(t['s4'])}</td>"
        f"<td class='n'>{summary.orders_before} · {money(summary.revenue_before_fen)}</td></tr>",
        f"<tr><td>{e(t['s5'])}</td><td class='n'>{summary.new_customers}</td></tr>",
        f"<tr><td>{e(t['s6'])}</td>"
        f"<td class='n'>{summary.repurchase.repeat_buyers} / {summary.repurchase.buyers}</td></tr>",
        "</table>",
        f"<h2>{e(t['s7'])}</h2>",
        "<p>"
        + e(
            QCoreApplication.translate(
                "WeeklySummary", "{posts} posts, {share}% selling (target 40%)"
            ).format(posts=total_posts, share=locale.toString(share, "f", 0))
        )
        + "</p>",
    ]
    if rows:
        parts.append(
            "<table><tr>"
            + "".join(
                f"<th>{e(h)}</th>"
                for h in (
                    QCoreApplication.translate("WeeklySummary", "Posted"),
                    QCoreApplication.translate("WeeklySummary", "Kind"),
                    QCoreApplication.translate("WeeklySummary", "Post"),
                    QCoreApplication.translate("WeeklySummary", "Interactions"),
                    QCoreApplication.translate("WeeklySummary", "Orders"),
                    QCoreApplication.translate("WeeklySummary", "Revenue"),
                )
            )
            + "</tr>"
        )
        for r in rows:
            local = r.posted_at.astimezone(f.zone)
            parts.append(
                f"<tr><td>{weekday_short(local.weekday())} {local:%m-%d %H:%M}</td>"
                f"<td>{e(labels.post_kind(r.kind))}</td><td>{e(r.first_line)}</td>"
                f"<td class='n'>{r.interactions}</td><td class='n'>{r.orders}</td>"
                f"<td class='n'>{money(r.revenue_fen)}</td></tr>"
            )
        parts.append("</table>")
    if summary.posts.best:
        slots = "、".join(f"{weekday_short(c.weekday)} {c.hour:02d}:00" for c in summary.posts.best)
        parts.append(
            "<p>"
            + e(
                QCoreApplication.translate("WeeklySummary", "Best times this week: {slots}").format(
                    slots=slots
                )
            )
            + "</p>"
        )
    parts.append("</body></html>")
    return "".join(parts)


def write_summary(path: Path, document_html: str) -> None:
    """``.pdf`` through QPdfWriter (A4), anything else as an HTML file."""
    if path.suffix.lower() == ".pdf":
        writer = QPdfWriter(str(path))
        writer.setPageLayout(
            QPageLayout(
                QPageSize(QPageSize.PageSizeId.A4),
                QPageLayout.Orientation.Portrait,
                QMarginsF(15, 15, 15, 15),
            )
        )
        writer.setResolution(96)
        document = QTextDocument()
        document.setHtml(document_html)
        document.setPageSize(QSizeF(writer.width(), writer.height()))
        document.print_(writer)
        if not path.exists():
            raise OSError(f"{path}: the PDF could not be written")
        return
    path.write_text(document_html, encoding="utf-8")
