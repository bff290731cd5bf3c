"""A customer's consent to be shown as 买家秀, and the photos she sent (买家返图).

Withdrawing consent, or forgetting her, removes the 买家秀 drafts quoting her that nobody
edited or scheduled yet; a post a person touched stays for the seller to decide. Every
write runs in the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from moments_desk.core.pictures.media import StoredImage, register_media
from moments_desk.core.shared.messages import QT_TRANSLATE_NOOP
from moments_desk.db.models import (
    BuyerShowSource,
    Customer,
    CustomerPhoto,
    MediaFile,
    Post,
    PostStatus,
)

#: A 买家秀 shows at most nine pictures; more photos of one buyer would never be used.
MAX_PHOTOS = 9


class BuyerShowError(ValueError):
    pass


def drop_untouched_quotes(session: Session, customer_id: int) -> int:
    """Delete auto-drafted 买家秀 drafts quoting her that no person edited; their slots are
    drafted again (from someone else) at the next 规划. Returns how many went."""
    ids = list(
        session.scalars(
            select(Post.id)
            .join(BuyerShowSource, BuyerShowSource.post_id == Post.id)
            .where(
                BuyerShowSource.customer_id == customer_id,
                Post.auto_drafted,
                ~Post.edited_by_person,
                Post.status == PostStatus.DRAFT,
            )
        )
    )
    if ids:
        session.execute(delete(Post).where(Post.id.in_(ids)))
    return len(ids)


def photo_ids(session: Session, customer_id: int) -> list[int]:
    return list(
        session.scalars(
            select(CustomerPhoto.media_id)
            .where(CustomerPhoto.customer_id == customer_id)
            .order_by(CustomerPhoto.position)
        )
    )


def add_photos(session: Session, customer_id: int, media_ids: Sequence[int]) -> int:
    """Attach stored pictures (``core.pictures.media.store_image``) to her; a picture she
    already has is skipped. Refuses more than nine in all, writing nothing."""
    if session.get(Customer, customer_id) is None:
        raise BuyerShowError(QT_TRANSLATE_NOOP("BuyerShow", "This customer was deleted meanwhile."))
    have = photo_ids(session, customer_id)
    new = [m for m in dict.fromkeys(media_ids) if m not in have]
    if len(have) + len(new) > MAX_PHOTOS:
        raise BuyerShowError(
            QT_TRANSLATE_NOOP(
                "BuyerShow", "A customer keeps at most {limit} photos; she has {count}."
            ).format(limit=MAX_PHOTOS, count=len(have))
        )
    found = set(session.scalars(select(MediaFile.id).where(MediaFile.id.in_(new))))
    if new and found != set(new):
        raise BuyerShowError(QT_TRANSLATE_NOOP("BuyerShow", "A picture was removed meanwhile."))
    start = session.scalar(
        select(func.coalesce(func.max(CustomerPhoto.position), -1)).where(
            CustomerPhoto.customer_id == customer_id
        )
    )
    for n, media_id in enumerate(new, start=int(-1 if start is None else start) + 1):
        session.add(CustomerPhoto(customer_id=customer_id, media_id=media_id, position=n))
    session.flush()
    return len(new)


def remove_photos(session: Session, customer_id: int) -> int:
    result = session.execute(delete(CustomerPhoto).where(CustomerPhoto.customer_id == customer_id))
    return int(getattr(result, "rowcount", 0) or 0)


def add_photo_files(session: Session, customer_id: int, stored: Sequence[StoredImage]) -> int:
    """Register pictures already copied into the media store and attach them to her, in
    one transaction (refused as a whole when she would have more than nine)."""
    return add_photos(session, customer_id, [register_media(session, s).id for s in stored])
