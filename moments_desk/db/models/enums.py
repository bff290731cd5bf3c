"""Domain vocabularies. Values are stored as plain strings, so never rename a value."""

from __future__ import annotations

import enum


class UserRole(enum.StrEnum):
    OWNER = "owner"
    ASSISTANT = "assistant"


class ProductStatus(enum.StrEnum):
    ON_SALE = "on_sale"
    SOLD_OUT = "sold_out"
    OFF_SHELF = "off_shelf"


class Gender(enum.StrEnum):
    UNKNOWN = "unknown"
    FEMALE = "female"
    MALE = "male"


class Relationship(enum.StrEnum):
    CUSTOMER = "customer"
    FRIEND = "friend"
    FAMILY = "family"
    COLLEAGUE = "colleague"


class CustomerStage(enum.StrEnum):
    """The value chain 客户→用户→粉丝→铁粉, starting from a friend who has not bought yet."""

    PROSPECT = "prospect"
    CUSTOMER = "customer"
    FAN = "fan"
    IRON_FAN = "iron_fan"


class CustomerSource(enum.StrEnum):
    UNKNOWN = "unknown"
    TAOBAO = "taobao"
    OFFLINE = "offline"
    REFERRAL = "referral"
    MOMENTS = "moments"


class PostKind(enum.StrEnum):
    NEW_ARRIVAL = "new_arrival"
    PROMOTION = "promotion"
    ACTIVITY = "activity"
    LIFESTYLE = "lifestyle"
    FEEDBACK = "feedback"

    @property
    def is_sales(self) -> bool:
        """Sales posts count against the 40% side of the 40:60 content mix."""
        return self in (PostKind.NEW_ARRIVAL, PostKind.PROMOTION, PostKind.ACTIVITY)


class PostStatus(enum.StrEnum):
    DRAFT = "draft"
    AWAITING_APPROVAL = "awaiting_approval"
    SCHEDULED = "scheduled"
    DUE = "due"
    POSTED = "posted"
    SKIPPED = "skipped"


class AudienceMode(enum.StrEnum):
    """WeChat's 公开 / 部分可见 / 不给谁看."""

    EVERYONE = "everyone"
    VISIBLE_TO = "visible_to"
    HIDDEN_FROM = "hidden_from"


class InteractionKind(enum.StrEnum):
    LIKE = "like"
    COMMENT = "comment"
    INQUIRY = "inquiry"  # 私聊
    NOTE = "note"  # hand-written follow-up / chat summary


class OrderStatus(enum.StrEnum):
    AWAITING_PAYMENT = "awaiting_payment"
    PAID = "paid"
    SHIPPED = "shipped"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    REFUNDED = "refunded"


class OrderSource(enum.StrEnum):
    MOMENTS = "moments"
    TAOBAO = "taobao"
    OTHER = "other"


class AllocationStatus(enum.StrEnum):
    ALLOCATED = "allocated"
    WAITLISTED = "waitlisted"
    ORDERED = "ordered"
    RELEASED = "released"


class ReminderKind(enum.StrEnum):
    POST_DUE = "post_due"
    POST_SOON = "post_soon"
    BIRTHDAY = "birthday"
    UNPAID_ORDER = "unpaid_order"
    DORMANT_CUSTOMER = "dormant_customer"
    SHIPPED_UNCONFIRMED = "shipped_unconfirmed"


class ReminderState(enum.StrEnum):
    PENDING = "pending"
    FIRED = "fired"
    DISMISSED = "dismissed"
