"""WeChat-like Moments screenshots with the truth beside each, for tests and the bench.

A post (seller, text, time, likes, comments) is drawn the way WeChat's feed shows it: the
avatar and the seller's nickname, the text, the time, then the grey block with a heart and
the likers separated by "，" (whole names per line, the comma at each line end), a hairline
and the comments (``名字：内容``, ``A回复B：内容``, wrapping under the name). Light and dark
mode, phone scale (1080–1440 px wide, status and title bar on every screen) and the desktop
client's scale. A long post is cut into overlapping screens like a seller scrolling.

Real fonts: Noto Sans CJK SC, and Noto Color Emoji when installed (else emoji are left out).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from bench.wechat_posts import (
    _EMOJI,
    ASSET_TRUTH,
    PostTruth,
    expected_json,
    plain,
    random_post,
)

CJK_FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
CJK_BOLD = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc")
EMOJI_FONT = Path("/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf")
_SC = 2  # index of Simplified Chinese in the Noto CJK collections


@dataclass(frozen=True)
class Style:
    width: int = 1080
    dark: bool = False
    desktop: bool = False
    screen_height: int = 2400

    @property
    def scale(self) -> float:
        # Phone: 3 px a dp at 1080; desktop: the PC client's 100–125 % text.
        return 0.42 if self.desktop else self.width / 1080

    @property
    def label(self) -> str:
        where = "desktop" if self.desktop else f"phone {self.width}"
        return f"{where} {'dark' if self.dark else 'light'}"


@dataclass(frozen=True)
class Palette:
    page: str
    block: str
    link: str
    text: str
    muted: str
    rule: str
    bar: str


LIGHT = Palette("#FFFFFF", "#F7F7F7", "#576B95", "#191919", "#B2B2B2", "#E5E5E5", "#EDEDED")
DARK = Palette("#191919", "#202020", "#7D90A9", "#D3D3D3", "#5D5D5D", "#2C2C2C", "#111111")


@dataclass
class Screen:
    image: Image.Image
    truth: PostTruth
    style: Style
    #: with the seller's header (the first screen of a post)
    has_header: bool = True
    extra: dict[str, object] = field(default_factory=dict)


# -- drawing -----------------------------------------------------------------------------------


@cache
def _font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(CJK_BOLD if bold else CJK_FONT), size, index=_SC)


@cache
def _emoji_image(char: str, size: int) -> Image.Image | None:
    if not EMOJI_FONT.exists():
        return None
    font = ImageFont.truetype(str(EMOJI_FONT), 109)  # a bitmap font: one size only
    canvas = Image.new("RGBA", (136, 128), (0, 0, 0, 0))
    ImageDraw.Draw(canvas).text((0, 0), char, font=font, embedded_color=True)
    box = canvas.getbbox() or (0, 0, 136, 128)
    return canvas.crop(box).resize((size, size), Image.Resampling.LANCZOS)


def _pieces(text: str) -> list[str]:
    """Characters, with each emoji (and its joiners) as one piece."""
    out: list[str] = []
    for char in text:
        if _EMOJI.match(char) and out and (char in "\ufe0f\u200d" or out[-1].endswith("\u200d")):
            out[-1] += char
        else:
            out.append(char)
    return out


class _Canvas:
    def __init__(self, style: Style, height: int) -> None:
        self.style = style
        self.p = DARK if style.dark else LIGHT
        self.s = style.scale
        self.image = Image.new("RGB", (style.width, height), self.p.page)
        self.draw = ImageDraw.Draw(self.image)

    def px(self, value: float) -> int:
        return round(value * self.s)

    def width_of(self, text: str, font: ImageFont.FreeTypeFont) -> float:
        total = 0.0
        for piece in _pieces(text):
            total += font.size * 1.15 if _EMOJI.match(piece) else font.getlength(piece)
        return total

    def text(
        self, x: float, y: float, text: str, font: ImageFont.FreeTypeFont, colour: str
    ) -> float:
        for piece in _pieces(text):
            if _EMOJI.match(piece):
                icon = _emoji_image(piece.replace("\ufe0f", ""), int(font.size * 1.05))
                if icon is not None:
                    top = int(y + font.size * 0.12)
                    self.image.paste(icon, (int(x + font.size * 0.05), top), icon)
                x += font.size * 1.15
            else:
                self.draw.text((x, y), piece, font=font, fill=colour)
                x += font.getlength(piece)
        return x


def _flow(
    canvas: _Canvas,
    runs: list[tuple[str, str, bool]],
    left: float,
    first_x: float,
    right: float,
    font: ImageFont.FreeTypeFont,
) -> list[list[tuple[float, str, str]]]:
    """Lay out (text, colour, unbreakable) runs between ``left`` and ``right``."""
    lines: list[list[tuple[float, str, str]]] = [[]]
    x = first_x
    for text, colour, whole in runs:
        parts = [text] if whole else _pieces(text)
        for part in parts:
            width = canvas.width_of(part, font)
            if x + width > right and lines[-1]:
                lines.append([])
                x = left
            lines[-1].append((x, part, colour))
            x += width
    return lines


def render_post(truth: PostTruth, style: Style) -> tuple[Image.Image, int]:
    """The whole post as one tall picture and the y where the interaction block starts."""
    probe = _Canvas(style, 10)
    s = probe.s
    name_font = _font(round(51 * s), bold=True)
    body_font = _font(round(51 * s))
    small_font = _font(round(39 * s))
    block_font = _font(round(45 * s))
    left = 36 * s
    column = left + 126 * s + 30 * s
    right = style.width - 36 * s
    line_h = block_font.size * 1.42
    # Lay out first (heights), then draw.
    body_lines = _flow(probe, [(truth.text, "text", False)], column, column, right, body_font)
    heart_w = block_font.size * 1.35
    pad = 24 * s
    like_runs = [
        (name + ("，" if i < len(truth.likes) - 1 else ""), "link", True)
        for i, name in enumerate(truth.likes)
    ]
    like_lines = (
        _flow(probe, like_runs, column + pad, column + pad + heart_w, right - pad, block_font)
        if truth.likes
        else []
    )
    comment_lines: list[list[list[tuple[float, str, str]]]] = []
    for comment in truth.comments:
        runs = [(comment.name, "link", True)]
        if comment.reply_to:
            runs += [("回复", "text", True), (comment.reply_to, "link", True)]
        runs.append(("：" + comment.text, "text", False))
        comment_lines.append(
            _flow(probe, runs, column + pad, column + pad, right - pad, block_font)
        )
    header_h = 60 * s + name_font.size * 1.5 + len(body_lines) * body_font.size * 1.5
    header_h += 40 * s + small_font.size * 1.6
    block_h = 2 * pad + line_h * (len(like_lines) + sum(len(c) for c in comment_lines))
    if like_lines and comment_lines:
        block_h += 20 * s
    height = int(header_h + 30 * s + block_h + 120 * s)
    canvas = _Canvas(style, height)
    colours = {"link": canvas.p.link, "text": canvas.p.text}
    y = 60 * s
    canvas.draw.rounded_rectangle(
        (left, y, left + 126 * s, y + 126 * s), radius=int(10 * s), fill="#C9A27E"
    )
    canvas.text(column, y, truth.seller, name_font, canvas.p.link)
    y += name_font.size * 1.5
    for line in body_lines:
        for x, part, _ in line:
            canvas.text(x, y, part, body_font, canvas.p.text)
        y += body_font.size * 1.5
    y += 40 * s
    canvas.text(column, y, truth.time, small_font, canvas.p.muted)
    dots = (right - 66 * s, y + 6 * s, right, y + small_font.size * 1.15)
    canvas.draw.rounded_rectangle(dots, radius=int(8 * s), fill=canvas.p.block)
    for dx in (22, 44):
        cx, cy = right - 66 * s + dx * s, (dots[1] + dots[3]) / 2
        r = 5 * s
        canvas.draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=canvas.p.link)
    y += small_font.size * 1.6 + 30 * s
    block_top = int(y)
    canvas.draw.rectangle((column, y, right, y + block_h), fill=canvas.p.block)
    y += pad
    for number, line in enumerate(like_lines):
        if number == 0:
            _heart(canvas, column + pad, y, int(block_font.size))
        for x, part, colour in line:
            canvas.text(x, y, part, block_font, colours[colour])
        y += line_h
    if like_lines and comment_lines:
        y += 10 * s
        canvas.draw.line((column, y, right, y), fill=canvas.p.rule, width=max(1, int(2 * s)))
        y += 10 * s
    for lines in comment_lines:
        for line in lines:
            for x, part, colour in line:
                canvas.text(x, y, part, block_font, colours[colour])
            y += line_h
    return canvas.image, block_top


def _heart(canvas: _Canvas, x: float, y: float, size: int) -> None:
    """WeChat's outlined heart, drawn (no font carries it in the link colour)."""
    r = size * 0.22
    cy = y + size * 0.55
    w = max(2, int(size * 0.08))
    colour = canvas.p.link
    canvas.draw.arc((x, cy - r * 1.6, x + 2 * r, cy + r * 0.4), 150, 360, fill=colour, width=w)
    canvas.draw.arc(
        (x + 2 * r, cy - r * 1.6, x + 4 * r, cy + r * 0.4), 180, 30, fill=colour, width=w
    )
    canvas.draw.line((x + r * 0.2, cy - r * 0.2, x + 2 * r, cy + r * 1.5), fill=colour, width=w)
    canvas.draw.line((x + 3.8 * r, cy - r * 0.2, x + 2 * r, cy + r * 1.5), fill=colour, width=w)


def _bars(canvas_image: Image.Image, style: Style) -> None:
    """Phone status bar and WeChat's title bar over the top of a screen."""
    p = DARK if style.dark else LIGHT
    s = style.scale
    draw = ImageDraw.Draw(canvas_image)
    draw.rectangle((0, 0, style.width, int(230 * s)), fill=p.bar)
    draw.text((60 * s, 28 * s), "20:31", font=_font(round(40 * s)), fill=p.text)
    title = _font(round(51 * s), bold=True)
    label = "详情"
    draw.text(((style.width - title.getlength(label)) / 2, 130 * s), label, font=title, fill=p.text)


def screens_of(truth: PostTruth, style: Style, overlap: float = 0.3) -> list[Screen]:
    """The post as the seller would screenshot it: one screen, or several overlapping ones."""
    full, _ = render_post(truth, style)
    if style.desktop:
        return [Screen(full, truth, style)]
    bar = int(230 * style.scale)
    visible = style.screen_height - bar
    screens = []
    top = 0
    while True:
        page = Image.new(
            "RGB", (style.width, style.screen_height), (DARK if style.dark else LIGHT).page
        )
        page.paste(full.crop((0, top, style.width, min(full.height, top + visible))), (0, bar))
        _bars(page, style)
        screens.append(Screen(page, truth, style, has_header=top == 0))
        if top + visible >= full.height:
            return screens
        top += int(visible * (1 - overlap))


def sample(seed: int, likers: int, comments: int, style: Style) -> list[Screen]:
    return screens_of(random_post(random.Random(seed), likers, comments), style)


def main() -> None:
    """python -m bench.wechat_screens OUT_DIR: a few examples to look at;
    python -m bench.wechat_screens --asset tests/screens: the tests' screenshot."""
    import json
    import sys

    if sys.argv[1:2] == ["--asset"]:
        print(write_asset(Path(sys.argv[2])))
        return
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "wechat-screens")
    out.mkdir(parents=True, exist_ok=True)
    styles = [Style(), Style(dark=True), Style(width=1440), Style(desktop=True, width=760)]
    for number, style in enumerate(styles):
        for part, screen in enumerate(sample(number, 40 + 30 * number, 12, style)):
            screen.image.save(out / f"post{number}-{part}.png")
        truth = screen.truth
        (out / f"post{number}.json").write_text(
            json.dumps(
                {
                    "style": style.label,
                    "likes": [plain(n) for n in truth.likes],
                    "comments": [
                        {
                            "name": plain(c.name),
                            "reply_to": c.reply_to and plain(c.reply_to),
                            "text": c.text,
                        }
                        for c in truth.comments
                    ],
                },
                ensure_ascii=False,
                indent=1,
            )
        )


def write_asset(folder: Path) -> Path:
    """tests/screens/wechat-phone.png and its truth, wechat-phone.json."""
    import json

    folder.mkdir(parents=True, exist_ok=True)
    screen = screens_of(ASSET_TRUTH, Style(width=1080, screen_height=1500))[0]
    path = folder / "wechat-phone.png"
    screen.image.save(path, optimize=True)
    truth = json.dumps(expected_json(ASSET_TRUTH), ensure_ascii=False, indent=1)
    (folder / "wechat-phone.json").write_text(truth + "\n", encoding="utf-8")
    return path


if __name__ == "__main__":
    main()
