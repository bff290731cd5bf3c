"""Draw the Moments Desk (朋友圈卖货台) app icon with Pillow.

    python scripts/make_icons.py

Writes ``resources/icons/app.png`` (256 px), ``app.ico`` (16–256 px) and ``app.icns``
(32–1024 px). The motif: a green rounded square (WeChat-adjacent, a little warmer), a white
camera aperture for "Moments", and a coral price tag for the selling. Every size is drawn
on its own 4× canvas and scaled down, and the small sizes use a simpler drawing (wider blade
gaps, bigger tag, no ¥ mark) so they stay crisp at 16–32 px instead of turning into mush.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFilter

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "resources" / "icons"

SUPERSAMPLE = 4
ICO_SIZES = (16, 20, 24, 32, 40, 48, 64, 128, 256)
ICNS_SIZES = (32, 64, 128, 256, 512, 1024)

Color = tuple[int, int, int]

GREEN_TOP: Color = (0x3D, 0xD6, 0x7C)
GREEN_BOTTOM: Color = (0x05, 0x9E, 0x55)
GREEN_DEEP: Color = (0x04, 0x7A, 0x43)
BLADE_TINTS: tuple[Color, ...] = (
    (0xFF, 0xFF, 0xFF),
    (0xEC, 0xFA, 0xF1),
    (0xF8, 0xFD, 0xFA),
    (0xE2, 0xF6, 0xEA),
    (0xFB, 0xFE, 0xFC),
    (0xE8, 0xF8, 0xEE),
)
CORAL_TOP: Color = (0xFF, 0x8A, 0x65)
CORAL_BOTTOM: Color = (0xF2, 0x4E, 0x3A)
CORAL_DARK: Color = (0xB8, 0x32, 0x25)


@dataclass(frozen=True)
class Style:
    """Proportions (fractions of the icon side) that change with the target size."""

    margin: float  # transparent border around the rounded square
    radius: float  # corner radius of the rounded square
    aperture_r: float  # outer radius of the aperture disc
    hole_r: float  # circumradius of the hexagonal opening
    gap: float  # width of the lines between blades (0: a plain lens ring, for tiny sizes)
    tag_len: float  # length of the price tag
    tag_w: float  # width of the price tag
    tag_outline: float  # white ring that separates the tag from the aperture
    aperture_c: float  # centre of the aperture (x = y)
    tag_c: float  # centre of the tag (x = y)
    yen: bool  # draw a ¥ on the tag
    shadows: bool


def style_for(size: int) -> Style:
    if size <= 20:
        return Style(0.0, 0.20, 0.34, 0.15, 0.0, 0.42, 0.27, 0.06, 0.41, 0.67, False, False)
    if size <= 32:
        return Style(0.02, 0.21, 0.31, 0.12, 0.06, 0.41, 0.26, 0.05, 0.43, 0.65, False, False)
    if size <= 64:
        return Style(0.04, 0.22, 0.29, 0.11, 0.04, 0.38, 0.235, 0.04, 0.44, 0.645, False, True)
    return Style(0.055, 0.225, 0.275, 0.10, 0.028, 0.37, 0.225, 0.032, 0.445, 0.645, True, True)


def lerp(a: Color, b: Color, t: float) -> Color:
    r, g, bl = (round(x + (y - x) * t) for x, y in zip(a, b, strict=True))
    return (r, g, bl)


def vertical_gradient(size: int, top: Color, bottom: Color) -> Image.Image:
    column = Image.new("RGB", (1, size))
    for y in range(size):
        column.putpixel((0, y), lerp(top, bottom, y / max(1, size - 1)))
    return column.resize((size, size))


def rounded_mask(size: int, box: tuple[float, float, float, float], radius: float) -> Image.Image:
    mask = Image.new("L", (size, size), 0)
    ImageDraw.Draw(mask).rounded_rectangle(box, radius=radius, fill=255)
    return mask


def rotate_point(p: tuple[float, float], c: tuple[float, float], deg: float) -> tuple[float, float]:
    a = math.radians(deg)
    x, y = p[0] - c[0], p[1] - c[1]
    return (c[0] + x * math.cos(a) - y * math.sin(a), c[1] + x * math.sin(a) + y * math.cos(a))


def ray_circle_exit(
    origin: tuple[float, float],
    direction: tuple[float, float],
    center: tuple[float, float],
    r: float,
) -> tuple[float, float]:
    """Where a ray starting inside a circle leaves it."""
    ox, oy = origin[0] - center[0], origin[1] - center[1]
    dx, dy = direction
    n = math.hypot(dx, dy)
    dx, dy = dx / n, dy / n
    b = ox * dx + oy * dy
    c = ox * ox + oy * oy - r * r
    t = -b + math.sqrt(b * b - c)
    return (origin[0] + dx * t, origin[1] + dy * t)


def arc_points(
    center: tuple[float, float], r: float, a0: float, a1: float, steps: int = 48
) -> list[tuple[float, float]]:
    """Points on the circle from angle a0 to a1 (radians), going the short positive way."""
    while a1 < a0:
        a1 += 2 * math.pi
    return [
        (
            center[0] + r * math.cos(a0 + (a1 - a0) * i / steps),
            center[1] + r * math.sin(a0 + (a1 - a0) * i / steps),
        )
        for i in range(steps + 1)
    ]


def draw_aperture(img: Image.Image, center: tuple[float, float], s: int, st: Style) -> None:
    """Six shaded blades around a hexagonal opening, like a camera iris seen head-on."""
    r_out = st.aperture_r * s
    r_hole = st.hole_r * s
    draw = ImageDraw.Draw(img)
    if st.gap == 0:
        # At 16-20 px six blades are mush: a white lens ring around a dark opening reads better.
        cx, cy = center
        draw.ellipse((cx - r_out, cy - r_out, cx + r_out, cy + r_out), fill=BLADE_TINTS[0])
        draw.ellipse((cx - r_hole, cy - r_hole, cx + r_hole, cy + r_hole), fill=GREEN_DEEP)
        return
    rotation = math.radians(-12)
    verts = [
        (
            center[0] + r_hole * math.cos(rotation + i * math.pi / 3),
            center[1] + r_hole * math.sin(rotation + i * math.pi / 3),
        )
        for i in range(6)
    ]
    exits = []
    for i in range(6):
        prev_v, v = verts[i - 1], verts[i]
        exits.append(ray_circle_exit(v, (v[0] - prev_v[0], v[1] - prev_v[1]), center, r_out))
    for i in range(6):
        j = (i + 1) % 6
        a0 = math.atan2(exits[i][1] - center[1], exits[i][0] - center[0])
        a1 = math.atan2(exits[j][1] - center[1], exits[j][0] - center[0])
        blade = [verts[i], *arc_points(center, r_out, a0, a1)]
        draw.polygon(blade, fill=BLADE_TINTS[i] if st.shadows else BLADE_TINTS[0])
    # The gaps between blades: green lines along each blade's leading edge, and the opening.
    gap = max(1, round(st.gap * s))
    for i in range(6):
        draw.line([verts[i], exits[i]], fill=GREEN_BOTTOM, width=gap)
    hexagon = [
        (
            center[0] + (r_hole + gap * 0.3) * math.cos(rotation + i * math.pi / 3),
            center[1] + (r_hole + gap * 0.3) * math.sin(rotation + i * math.pi / 3),
        )
        for i in range(6)
    ]
    draw.polygon(hexagon, fill=GREEN_DEEP)


def tag_shape(
    s: int, st: Style, center: tuple[float, float], grow: float = 0.0
) -> list[tuple[float, float]]:
    """A price tag pointing left, rotated so the point faces the aperture (up-left)."""
    length = st.tag_len * s + 2 * grow
    width = st.tag_w * s + 2 * grow
    point = width * 0.5
    x0, x1 = center[0] - length / 2, center[0] + length / 2
    y0, y1 = center[1] - width / 2, center[1] + width / 2
    corner = width * 0.16
    body: list[tuple[float, float]] = [(x0, center[1]), (x0 + point, y0)]
    # Rounded far end.
    for cx, cy, a_start in ((x1 - corner, y0 + corner, -90), (x1 - corner, y1 - corner, 0)):
        for k in range(9):
            a = math.radians(a_start + 90 * k / 8)
            body.append((cx + corner * math.cos(a), cy + corner * math.sin(a)))
    body.append((x0 + point, y1))
    return [rotate_point(p, center, 45) for p in body]


def draw_tag(img: Image.Image, s: int, st: Style) -> None:
    center = (s * st.tag_c, s * st.tag_c)
    outline = st.tag_outline * s
    if st.shadows:
        shadow = Image.new("L", img.size, 0)
        ImageDraw.Draw(shadow).polygon(
            tag_shape(s, st, (center[0] + s * 0.012, center[1] + s * 0.02), outline), fill=90
        )
        shadow = shadow.filter(ImageFilter.GaussianBlur(s * 0.02))
        dark = Image.new("RGBA", img.size, (0, 0x40, 0x20, 255))
        img.paste(dark, (0, 0), shadow)
    draw = ImageDraw.Draw(img)
    draw.polygon(tag_shape(s, st, center, outline), fill=(255, 255, 255))

    body_mask = Image.new("L", img.size, 0)
    ImageDraw.Draw(body_mask).polygon(tag_shape(s, st, center), fill=255)
    coral = vertical_gradient(s, CORAL_TOP, CORAL_BOTTOM).convert("RGBA")
    img.paste(coral, (0, 0), body_mask)

    # Eyelet near the point.
    length = st.tag_len * s
    width = st.tag_w * s
    point = width * 0.5
    hole_c = rotate_point((center[0] - length / 2 + point * 0.95, center[1]), center, 45)
    hole_r = width * (0.11 if st.yen else 0.15)
    draw.ellipse(
        (hole_c[0] - hole_r, hole_c[1] - hole_r, hole_c[0] + hole_r, hole_c[1] + hole_r),
        fill=(255, 255, 255),
    )
    if st.yen:
        body_mid = center[0] - length / 2 + point + (length - point) * 0.56
        draw_yen(img, rotate_point((body_mid, center[1]), center, 45), width)


def draw_yen(img: Image.Image, c: tuple[float, float], width: float) -> None:
    """A ¥ drawn with strokes (no font needed), kept upright on screen for legibility."""
    layer = Image.new("L", img.size, 0)
    d = ImageDraw.Draw(layer)
    h = width * 0.56
    w = h * 0.74
    stroke = max(2, round(width * 0.085))
    top = c[1] - h / 2
    mid = c[1] - h * 0.02
    d.line([(c[0] - w / 2, top), (c[0], mid)], fill=255, width=stroke, joint="curve")
    d.line([(c[0] + w / 2, top), (c[0], mid)], fill=255, width=stroke, joint="curve")
    d.line([(c[0], mid), (c[0], c[1] + h / 2)], fill=255, width=stroke)
    bar = w * 0.42
    for y in (mid + h * 0.08, mid + h * 0.28):
        d.line([(c[0] - bar, y), (c[0] + bar, y)], fill=255, width=max(2, stroke * 8 // 10))
    # Round the stroke ends at the top of the arms.
    for x in (c[0] - w / 2, c[0] + w / 2):
        d.ellipse((x - stroke / 2, top - stroke / 2, x + stroke / 2, top + stroke / 2), fill=255)
    white = Image.new("RGBA", img.size, (255, 255, 255, 255))
    img.paste(white, (0, 0), layer)


def render(size: int) -> Image.Image:
    st = style_for(size)
    s = size * SUPERSAMPLE
    m = st.margin * s
    box = (m, m, s - m - 1, s - m - 1)
    radius = st.radius * s

    icon = Image.new("RGBA", (s, s), (0, 0, 0, 0))
    shape = rounded_mask(s, box, radius)

    if st.shadows and st.margin > 0:
        # A soft drop shadow under the square, kept inside the margin.
        shadow = rounded_mask(s, (box[0], box[1] + m * 0.35, box[2], box[3] + m * 0.35), radius)
        shadow = shadow.filter(ImageFilter.GaussianBlur(m * 0.35)).point(lambda v: v * 45 // 100)
        icon.paste(Image.new("RGBA", (s, s), (0, 0x30, 0x18, 255)), (0, 0), shadow)

    face = vertical_gradient(s, GREEN_TOP, GREEN_BOTTOM).convert("RGBA")
    if st.shadows:
        # A faint highlight across the upper part of the square.
        gloss = Image.new("L", (s, s), 0)
        ImageDraw.Draw(gloss).ellipse((-0.35 * s, -0.95 * s, 1.35 * s, 0.42 * s), fill=30)
        gloss = gloss.filter(ImageFilter.GaussianBlur(s * 0.03))
        face.paste(Image.new("RGBA", (s, s), (255, 255, 255, 255)), (0, 0), gloss)

    art = face.copy()
    aperture_c = (s * st.aperture_c, s * st.aperture_c)
    if st.shadows:
        sh = Image.new("L", (s, s), 0)
        r = st.aperture_r * s
        ImageDraw.Draw(sh).ellipse(
            (
                aperture_c[0] - r,
                aperture_c[1] - r + s * 0.015,
                aperture_c[0] + r,
                aperture_c[1] + r + s * 0.015,
            ),
            fill=80,
        )
        sh = sh.filter(ImageFilter.GaussianBlur(s * 0.018))
        art.paste(Image.new("RGBA", (s, s), (0, 0x40, 0x20, 255)), (0, 0), sh)
    draw_aperture(art, aperture_c, s, st)
    draw_tag(art, s, st)

    icon.paste(art, (0, 0), shape)
    # Keep the artwork inside the rounded square (the tag shadow may not leak out).
    alpha = ImageChops.lighter(icon.getchannel("A"), shape)
    icon.putalpha(alpha)
    return icon.resize((size, size), Image.Resampling.LANCZOS)


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    images = {size: render(size) for size in sorted({*ICO_SIZES, *ICNS_SIZES})}
    images[256].save(OUT / "app.png", optimize=True)
    ico_frames = [images[s] for s in ICO_SIZES]
    ico_frames[-1].save(
        OUT / "app.ico",
        format="ICO",
        sizes=[(s, s) for s in ICO_SIZES],
        append_images=ico_frames[:-1],
    )
    images[1024].save(
        OUT / "app.icns", format="ICNS", append_images=[images[s] for s in ICNS_SIZES[:-1]]
    )
    for name in ("app.png", "app.ico", "app.icns"):
        print(f"{(OUT / name).relative_to(ROOT)}  {(OUT / name).stat().st_size // 1024} KB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
