"""Merging two records of the same friend, keeping every piece of her history."""

from __future__ import annotations

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from moments_desk.core.customers.customers import CustomerError
from moments_desk.core.shared.messages import QT_TRANSLATE_NOOP
from moments_desk.db.models import (
    Allocation,
    Customer,
    CustomerAddress,
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
