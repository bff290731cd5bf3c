"""Friend-customers: search at 50,000, filters, editing and bulk changes. No Qt here.

Searching and the table's rows live in ``listing`` (re-exported here).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from sqlalchemy import select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from moments_desk.core.customers.birthdays import BirthdayError
from moments_desk.core.customers.buyer_show import drop_untouched_quotes
from moments_desk.core.customers.drafts import CustomerConflictError as CustomerConflictError
from moments_desk.core.customers.drafts import CustomerDraft as CustomerDraft
from moments_desk.core.customers.drafts import CustomerError as CustomerError
from moments_desk.core.customers.drafts import draft_of
from moments_desk.core.customers.listing import CustomerQuery as CustomerQuery
from moments_desk.core.customers.listing import CustomerRow as CustomerRow
from moments_desk.core.customers.listing import CustomerSort as CustomerSort
from moments_desk.core.customers.listing import load_customer_rows as load_customer_rows
from moments_desk.core.customers.listing import search_customer_ids as search_customer_ids
from moments_desk.core.shared.batches import execute_in, scalars_in
from moments_desk.core.shared.edits import EditConflictError, bump_versions, merge_edit, stale_row
from moments_desk.core.shared.messages import QT_TRANSLATE_NOOP, message_of
from moments_desk.core.shared.tags import MAX_TAG, attach_tag, tags_named
from moments_desk.core.shared.text import clean_text
from moments_desk.db.models import (
    Customer,
    CustomerAddress,
    CustomerStage,
    WeChatAccount,
    customer_tag,
)

_PHONE = re.compile(r"^\+?\d{5,15}$")
_PHONE_NOISE = re.compile(r"[\s\-()（）']")


def clean_phone(raw: str) -> str:
    """'138 0013 8000', '+86 138-0013-8000', "'13800138000" → digits (with + kept)."""
    if len(raw) == 11 and raw[0] == "1" and raw.isdigit():
        return raw  # the usual case, checked without regular expressions (imports at 50k)
    phone = _PHONE_NOISE.sub("", raw.strip())
    if phone.startswith("+86"):
        phone = phone[3:]
    if phone and not _PHONE.match(phone):
        raise CustomerError(
            QT_TRANSLATE_NOOP("Customers", "{raw} is not a phone number").format(raw=raw), "phone"
        )
    if len(phone) == 11 and not phone.startswith("1"):
        raise CustomerError(
            QT_TRANSLATE_NOOP("Customers", "{raw} is not a mainland mobile number").format(raw=raw),
            "phone",
        )
    if len(phone) > 11 and not raw.strip().startswith("+"):
        raise CustomerError(
            QT_TRANSLATE_NOOP(
                "Customers", "{raw} has {count} digits; a mobile number has 11"
            ).format(raw=raw, count=len(phone)),
            "phone",
        )
    return phone


# --- editing ---------------------------------------------------------------------------------


def validate(draft: CustomerDraft) -> CustomerDraft:
    nickname = clean_text(draft.nickname, 100)
    remark = clean_text(draft.remark, 100)
    wechat_id = clean_text(draft.wechat_id, 60)
    if not (nickname or remark or wechat_id):
        raise CustomerError(
            QT_TRANSLATE_NOOP(
                "Customers", "A customer needs a nickname, a remark name or a WeChat ID."
            ),
            "nickname",
        )
    if draft.birthday is not None:
        try:
            draft.birthday.validate()
        except BirthdayError as error:
            raise CustomerError(
                QT_TRANSLATE_NOOP("Customers", "Birthday: {error}.").format(
                    error=message_of(error)
                ),
                "birthday",
            ) from error
    return replace(
        draft,
        nickname=nickname,
        remark=remark,
        wechat_id=wechat_id,
        phone=clean_phone(draft.phone) if draft.phone.strip() else "",
        city=clean_text(draft.city, 60),
        tags=[t for t in dict.fromkeys(clean_text(t, 40) for t in draft.tags) if t],
    )


def _apply(session: Session, customer: Customer, draft: CustomerDraft) -> None:
    from moments_desk.core.shared.pinyin import customer_search_text

    with session.no_autoflush:
        if session.get(WeChatAccount, draft.account_id) is None:
            raise CustomerError(
                QT_TRANSLATE_NOOP("Customers", "That WeChat account no longer exists."), "account"
            )
        if draft.wechat_id:
            clash = session.scalar(
                select(Customer.id).where(
                    Customer.account_id == draft.account_id,
                    Customer.wechat_id == draft.wechat_id,
                    Customer.id != (customer.id or 0),
                )
            )
            if clash is not None:
                raise CustomerError(
                    QT_TRANSLATE_NOOP(
                        "Customers",
                        "Another customer on this account already has the WeChat ID {wechat_id}.",
                    ).format(wechat_id=draft.wechat_id),
                    "wechat_id",
                )
        if draft.referred_by_id is not None and draft.referred_by_id == customer.id:
            raise CustomerError(
                QT_TRANSLATE_NOOP("Customers", "A customer cannot refer herself."), "referred_by"
            )
        tags = tags_named(session, draft.tags)
    birthday = draft.birthday
    customer.account_id = draft.account_id
    customer.nickname = draft.nickname
    customer.remark = draft.remark
    customer.wechat_id = draft.wechat_id or None
    customer.phone = draft.phone or None
    customer.gender = draft.gender
    customer.birthday_year = birthday.year if birthday else None
    customer.birthday_month = birthday.month if birthday else None
    customer.birthday_day = birthday.day if birthday else None
    customer.birthday_lunar = bool(birthday and birthday.lunar)
    customer.birthday_leap_month = bool(birthday and birthday.leap_month)
    customer.city = draft.city
    customer.relationship_kind = draft.relationship
    customer.stage = draft.stage
    customer.stage_set_by_hand = draft.stage_set_by_hand
    customer.source = draft.source
    customer.referred_by_id = draft.referred_by_id
    customer.consent_note = draft.consent_note
    customer.consent_date = draft.consent_date
    customer.shares_buyer_show = draft.shares_buyer_show
    customer.notes = draft.notes
    customer.tags = tags
    customer.search_text = customer_search_text(
        draft.nickname, draft.remark, draft.wechat_id, draft.phone
    )


def create_customer(session: Session, draft: CustomerDraft) -> int:
    customer = Customer()
    _apply(session, customer, validate(draft))
    session.add(customer)
    session.flush()
    return customer.id


def update_customer(
    session: Session, customer_id: int, draft: CustomerDraft, base: CustomerDraft | None = None
) -> None:
    """Save the form: only the fields changed since ``base`` (the customer as the form
    opened her) are written, so notes another laptop saved meanwhile stay; a field changed on
    both sides is refused with both values (``CustomerConflictError``)."""
    customer = session.get(Customer, customer_id)
    if customer is None:
        raise CustomerError(QT_TRANSLATE_NOOP("Customers", "This customer was deleted meanwhile."))
    referrer = customer.referred_by_id
    shared = customer.shares_buyer_show
    theirs = draft_of(customer)
    try:
        merged = merge_edit(validate(base or theirs), validate(draft), theirs)
    except EditConflictError as clash:
        raise CustomerConflictError(clash.conflict) from None
    _apply(session, customer, merged)
    try:
        session.flush()
    except StaleDataError:
        raise CustomerError(stale_row()) from None
    if shared and not merged.shares_buyer_show:
        # Consent withdrawn: drafts quoting her that nobody touched go at once.
        drop_untouched_quotes(session, customer_id)
    from moments_desk.core.stages.ladder import apply_ladder

    # A stage cleared by hand is placed again; a referral moves the referrer.
    apply_ladder(session, [i for i in (customer_id, referrer, merged.referred_by_id) if i])


def get_customer(session: Session, customer_id: int) -> tuple[CustomerDraft, list[CustomerAddress]]:
    customer = session.get(Customer, customer_id)
    if customer is None:
        raise CustomerError(QT_TRANSLATE_NOOP("Customers", "This customer was deleted meanwhile."))
    draft = draft_of(customer)
    addresses = list(customer.addresses)
    for address in addresses:
        session.expunge(address)
    return draft, addresses


# --- bulk ------------------------------------------------------------------------------------


def add_tag(session: Session, ids: Sequence[int], tag_name: str) -> int:
    name = clean_text(tag_name, MAX_TAG)
    if not name:
        raise CustomerError(QT_TRANSLATE_NOOP("Customers", "The tag is empty."), "tags")
    added = attach_tag(session, customer_tag, "customer_id", ids, name)
    bump_versions(session, Customer, ids)
    return added


def set_stage(session: Session, ids: Sequence[int], stage: CustomerStage | None) -> int:
    """Set a stage by hand (it stays until cleared), or ``None``: clear it, so the ladder
    places these customers from their orders, interactions and referrals again."""
    if stage is None:
        cleared = execute_in(
            session,
            lambda chunk: (
                update(Customer)
                .where(Customer.id.in_(chunk))
                .values(stage_set_by_hand=False, version=Customer.version + 1)
            ),
            ids,
        )
        from moments_desk.core.stages.ladder import apply_ladder

        apply_ladder(session, ids)
        return cleared
    return execute_in(
        session,
        lambda chunk: (
            update(Customer)
            .where(Customer.id.in_(chunk))
            .values(stage=stage, stage_set_by_hand=True, version=Customer.version + 1)
        ),
        ids,
    )


def move_to_account(session: Session, ids: Sequence[int], account_id: int) -> int:
    """Move customers to another WeChat account (e.g. after adding them on the new phone)."""
    if session.get(WeChatAccount, account_id) is None:
        raise CustomerError(
            QT_TRANSLATE_NOOP("Customers", "That WeChat account no longer exists."), "account"
        )
    theirs = select(Customer.wechat_id).where(Customer.account_id == account_id)
    clashes = list(
        scalars_in(
            session,
            lambda chunk: select(Customer.wechat_id).where(
                Customer.id.in_(chunk),
                Customer.wechat_id.is_not(None),
                Customer.wechat_id.in_(theirs),
            ),
            ids,
        )
    )
    if clashes:
        shown = ", ".join(c for c in clashes[:5] if c)
        raise CustomerError(
            QT_TRANSLATE_NOOP(
                "Customers",
                "The target account already has {shown}: merge those customers instead.",
            ).format(shown=shown),
            "account",
        )
    return execute_in(
        session,
        lambda chunk: (
            update(Customer)
            .where(Customer.id.in_(chunk))
            .values(account_id=account_id, version=Customer.version + 1)
        ),
        ids,
    )


def suggest_stage(orders: int, interactions: int, referrals: int) -> CustomerStage:
    """客户→用户→粉丝→铁粉 from history, with the ladder's default thresholds."""
    from moments_desk.core.stages.ladder import StageThresholds, stage_for

    return stage_for(orders, interactions, referrals, StageThresholds())
