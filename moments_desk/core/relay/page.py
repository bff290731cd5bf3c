"""The phone page: Chinese, mobile-first, everything inline (no CDN), from a shipped template."""

from __future__ import annotations

from datetime import tzinfo
from functools import lru_cache
from html import escape
from importlib.resources import files
from string import Template

from moments_desk.core.planning.publishing import PublishJob
from moments_desk.db.models import AudienceMode, PostKind, PostStatus

KIND_NAMES = {
    PostKind.NEW_ARRIVAL: "上新",
    PostKind.PROMOTION: "促销",
    PostKind.ACTIVITY: "活动",
    PostKind.LIFESTYLE: "生活",
    PostKind.FEEDBACK: "买家秀",
}


@lru_cache(maxsize=1)
def _template() -> Template:
    text = files("moments_desk.core.relay").joinpath("templates/page.html").read_text("utf-8")
    return Template(text)


def post_base(token: str, number: int, single: bool) -> str:
    """Where post ``number``'s pictures and actions live; a one-post relay has them at the
    top (``/p/<token>/img/1``), a 今日 relay under the post's number."""
    return f"/p/{token}" if single else f"/p/{token}/{number}"


def _audience(job: PublishJob) -> str:
    tags = "、".join(job.audience_tags)
    if job.audience_mode == AudienceMode.VISIBLE_TO:
        return f"谁可以看：选 <b>部分可见</b>，勾选标签 <b>{escape(tags)}</b>"
    if job.audience_mode == AudienceMode.HIDDEN_FROM:
        return f"谁可以看：选 <b>不给谁看</b>，勾选标签 <b>{escape(tags)}</b>"
    return "谁可以看：<b>公开</b>"


def _accounts(job: PublishJob, account_id: int | None, zone: tzinfo) -> str:
    targets = [a for a in job.accounts if account_id is None or a.account_id == account_id]
    if job.status == PostStatus.SKIPPED:
        return '<p class="done">这条已跳过</p>'
    parts = []
    if not targets:
        if job.status == PostStatus.POSTED:
            return '<p class="done">已发布 ✓</p>'
        return '<button class="primary posted" value="">我已发布</button>'
    for target in targets:
        name = escape(target.label)
        if target.posted_at is not None:
            when = target.posted_at.astimezone(zone).strftime("%H:%M")
            parts.append(f'<p class="done">{name}：已发布 ✓ {when}</p>')
        else:
            label = f"我已发布（{name}）" if len(targets) > 1 else "我已发布"
            parts.append(
                f'<button class="primary posted" value="{target.account_id}">{label}</button>'
            )
    return "\n".join(parts)


def _post_section(
    token: str,
    number: int,
    job: PublishJob,
    pictures: int,
    single: bool,
    account_id: int | None,
    zone: tzinfo,
) -> str:
    base = post_base(token, number, single)
    when = job.scheduled_at.astimezone(zone).strftime("%m-%d %H:%M") if job.scheduled_at else ""
    items = "\n".join(
        f'<li><span class="num">{n}</span>'
        f'<img src="{base}/img/{n}" alt="第 {n} 张" loading="eager">'
        f'<a href="{base}/img/{n}" download="{job.post_id}-{n}.jpg">下载第 {n} 张</a></li>'
        for n in range(1, pictures + 1)
    )
    if pictures:
        gallery = (
            f"<h2>图片（{pictures} 张，按顺序发）</h2>"
            '<p class="hint">长按图片可“保存到手机”；也可点下面的下载。</p>'
            '<p class="hint wechat-hint" hidden>微信里不能一键保存：请逐张长按保存，'
            "或点右上角 ··· 选“在浏览器打开”。</p>"
            f'<ol class="pics">{items}</ol>'
            '<button class="save-all">保存全部</button>'
        )
    else:
        gallery = '<p class="hint">这条没有图片。</p>'
    title = f"第 {number} 条 · " if not single else ""
    return (
        f'<section class="post" id="post-{number}" data-base="{base}">'
        f'<p class="meta">{title}<b>{KIND_NAMES[job.kind]}</b> · {when}</p>'
        f'<pre class="text">{escape(job.text)}</pre>'
        '<button class="primary copy">复制文案</button>'
        f"{gallery}"
        f'<p class="audience">{_audience(job)}</p>'
        f'<div class="accounts">{_accounts(job, account_id, zone)}</div>'
        '<p class="status posted-status" role="status"></p>'
        "<h2>上传截图</h2>"
        '<p class="hint">发完后截图点赞和评论，传回电脑记录。</p>'
        '<label class="button pick">选择截图<input type="file" accept="image/*" multiple hidden>'
        '</label><span class="picked"></span><br>'
        '<button class="upload">上传截图</button>'
        '<p class="status upload-status" role="status"></p>'
        "</section>"
    )


def render_page(
    token: str,
    jobs: list[tuple[PublishJob, int]],
    *,
    today: bool,
    account_label: str,
    account_id: int | None,
    zone: tzinfo,
    nonce: str,
) -> str:
    """The whole page: each post with how many pictures it serves."""
    single = not today
    sections = "\n".join(
        _post_section(token, number, job, pictures, single, account_id, zone)
        for number, (job, pictures) in enumerate(jobs, start=1)
    )
    if today:
        heading = f"今日待发 · {account_label}" if account_label else "今日待发"
        sub = f"共 {len(jobs)} 条，按时间顺序" if jobs else "今天没有要发的朋友圈"
    else:
        heading = "发朋友圈"
        sub = f"发到：{account_label}" if account_label else "复制文案，保存图片，发完点“我已发布”"
    return _template().substitute(
        title=escape(heading),
        heading=escape(heading),
        subheading=escape(sub),
        posts=sections,
        nonce=nonce,
    )
