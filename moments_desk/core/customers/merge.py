"""Merging two records of the same friend, keeping every piece of her history."""

from __future__ import annotations

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from moments_desk.core.customers.buyer_show import MAX_PHOTOS, photo_ids
from moments_desk.core.customers.customers import CustomerError
from moments_desk.core.shared.messages import QT_TRANSLATE_NOOP
from moments_desk.db.models import (
    Allocation,
    BuyerShowSource,
    Customer,
    CustomerAddress,
    CustomerPhoto,
    CustomerStage,
    Interaction,
    Order,
    Reminder,
    customer_tag,
)

_STAGE_ORDER = list(CustomerStage)
# wechat_id is taken over only after the duplicate is gone (it is unique per account).
_TEXT_FIELDS = ("nickname", "remark", "phone", "city", "consent_note")


def merge_customers(session: Session, keep_id: int, absorb_id: int) -> None:
    """Move everything of ``absorb_id`` onto ``keep_id`` and delete the duplicate.

    Empty fields of the kept record are filled from the duplicate; notes are joined; the
    higher stage wins; tags are united; interactions, orders, addresses, allocations,
    reminders and referrals all move over, so the timeline is complete afterwards.
    """
    if keep_id == absorb_id:
        raise CustomerError(QT_TRANSLATE_NOOP("Merge", "Choose two different customers to merge."))
    keep = session.get(Customer, keep_id)
    absorb = session.get(Customer, absorb_id)
    if keep is None or absorb is None:
        raise CustomerError(
            QT_TRANSLATE_NOOP("Merge", "One of the customers was deleted meanwhile.")
        )
    absorbed_wechat_id = absorb.wechat_id
    for name in _TEXT_FIELDS:
        if not getattr(keep, name) and getattr(absorb, name):
            setattr(keep, name, getattr(absorb, name))
    if keep.birthday_month is None and absorb.birthday_month is not None:
        keep.birthday_year = absorb.birthday_year
        keep.birthday_month = absorb.birthday_month
        keep.birthday_day = absorb.birthday_day
        keep.birthday_lunar = absorb.birthday_lunar
        keep.birthday_leap_month = absorb.birthday_leap_month
    if absorb.notes and absorb.notes not in keep.notes:
        keep.notes = f"{keep.notes}\n{absorb.notes}".strip()
    if _STAGE_ORDER.index(absorb.stage) > _STAGE_ORDER.index(keep.stage):
        keep.stage = absorb.stage
        keep.stage_set_by_hand = keep.stage_set_by_hand or absorb.stage_set_by_hand
    # One person in two records: her consent to 买家秀 on either is hers.
    keep.shares_buyer_show = keep.shares_buyer_show or absorb.shares_buyer_show
    if keep.referred_by_id is None and absorb.referred_by_id not in (None, keep_id):
        keep.referred_by_id = absorb.referred_by_id

    for model, column in (
        (Interaction, Interaction.customer_id),
        (Order, Order.customer_id),
        (CustomerAddress, CustomerAddress.customer_id),
        (Allocation, Allocation.customer_id),
        (Reminder, Reminder.customer_id),
    ):
        session.execute(update(model).where(column == absorb_id).values(customer_id=keep_id))
    session.execute(
        update(Customer).where(Customer.referred_by_id == absorb_id).values(referred_by_id=keep_id)
    )
    _move_buyer_show(session, keep_id, absorb_id)
    kept_tags = set(
        session.scalars(select(customer_tag.c.tag_id).where(customer_tag.c.customer_id == keep_id))
    )
    new_tags = [
        {"customer_id": keep_id, "tag_id": tag_id}
        for tag_id in session.scalars(
            select(customer_tag.c.tag_id).where(customer_tag.c.customer_id == absorb_id)
        )
        if tag_id not in kept_tags
    ]
    if new_tags:
        session.execute(customer_tag.insert(), new_tags)
    session.flush()
    session.expire(absorb)
    session.execute(delete(Customer).where(Customer.id == absorb_id))
    # The kept record may now take the duplicate's WeChat ID (unique per account).
    if not keep.wechat_id and absorbed_wechat_id:
        keep.wechat_id = absorbed_wechat_id
    from moments_desk.core.shared.pinyin import customer_search_text

    keep.search_text = customer_search_text(keep.nickname, keep.remark, keep.wechat_id, keep.phone)
    from moments_desk.core.stages.ladder import apply_ladder

    session.flush()
    apply_ladder(session, [keep_id])  # her orders and likes together may earn a higher stage


def _move_buyer_show(session: Session, keep_id: int, absorb_id: int) -> None:
    """The duplicate's photos (up to nine in all, none twice) and the drafts quoting her."""
    have = photo_ids(session, keep_id)
    moving = [m for m in photo_ids(session, absorb_id) if m not in have][: MAX_PHOTOS - len(have)]
    for n, media_id in enumerate(moving, start=len(have)):
        session.add(CustomerPhoto(customer_id=keep_id, media_id=media_id, position=n))
    session.execute(
        update(BuyerShowSource)
        .where(BuyerShowSource.customer_id == absorb_id)
        .values(customer_id=keep_id)
    )
