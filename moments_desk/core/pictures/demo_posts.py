"""The demo's drawn photos on its posts and as its accounts' avatar."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlalchemy import Connection, insert, select, update

from moments_desk.core.pictures.demo_art import DemoPictures
from moments_desk.db.models import MediaFile, Post, PostImage, PostKind, WeChatAccount

#: Words in a post that say which garment it shows.
GARMENT_WORDS = ("开衫", "围巾", "大衣", "连衣裙")


def dress_posts(
    conn: Connection, drawn: DemoPictures, posts: Sequence[tuple[int, Sequence[int]]]
) -> None:
    """Each (post id, product ids) gets pictures: one product, all of hers; several, each
    one's cover; none (a lifestyle post), a still life. The accounts' avatar: the flowers."""
    flowers = conn.scalar(select(MediaFile.rel_path).where(MediaFile.id == drawn.lifestyle[1]))
    conn.execute(update(WeChatAccount).values(avatar_path=flowers))
    rows = []
    for number, (post_id, linked) in enumerate(posts):
        products = list(dict.fromkeys(linked))
        if len(products) == 1:
            media = drawn.products[products[0]]
        elif products:
            media = [drawn.products[p][0] for p in products]
        else:
            media = [drawn.lifestyle[number % len(drawn.lifestyle)]]
        rows += [
            {"post_id": post_id, "media_id": m, "position": i} for i, m in enumerate(media[:9])
        ]
    if rows:
        conn.execute(insert(PostImage), rows)


def dress_bare_posts(
    conn: Connection, drawn: DemoPictures, names: Mapping[int, str], fallback: int
) -> None:
    """Posts still without a picture (the team demo's): a still life for a lifestyle post,
    else the garment its text names (``fallback``'s cover when none)."""
    bare = conn.execute(
        select(Post.id, Post.kind, Post.text).where(Post.id.not_in(select(PostImage.post_id)))
    ).all()

    def garment(text: str) -> int:
        for word in GARMENT_WORDS:
            found = [p for p, name in names.items() if word in name and word in text]
            if found:
                return drawn.products[found[0]][0]
        return drawn.products[fallback][0]

    rows = [
        {
            "post_id": post_id,
            "media_id": drawn.lifestyle[n % len(drawn.lifestyle)]
            if kind is PostKind.LIFESTYLE
            else garment(text),
            "position": 0,
        }
        for n, (post_id, kind, text) in enumerate(bare)
    ]
    if rows:
        conn.execute(insert(PostImage), rows)
