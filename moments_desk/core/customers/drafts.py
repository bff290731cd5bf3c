"""What the customer form edits (``CustomerDraft``), read from a stored customer, and the
errors saving it can end in. Kept apart from ``customers`` so that module stays short."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from moments_desk.core.customers.birthdays import Birthday
from moments_desk.core.shared.edits import EditConflict
from moments_desk.core.shared.messages import QT_TRANSLATE_NOOP
from moments_desk.db.models import (
    Customer,
    CustomerSource,
    CustomerStage,
    Gender,
    Relationship,
)


class CustomerError(ValueError):
    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


@dataclass
class CustomerDraft:
    account_id: int
    nickname: str = ""
    remark: str = ""
    wechat_id: str = ""
    phone: str = ""
    gender: Gender = Gender.UNKNOWN
    birthday: Birthday | None = None
    city: str = ""
    relationship: Relationship = Relationship.CUSTOMER
    stage: CustomerStage = CustomerStage.PROSPECT
    stage_set_by_hand: bool = False
    source: CustomerSource = CustomerSource.UNKNOWN
    referred_by_id: int | None = None
    consent_note: str = ""
    consent_date: date | None = None
    #: She allowed her comments and photos to be shown as 买家秀 (off unless she said so).
    shares_buyer_show: bool = False
    notes: str = ""
    tags: list[str] = field(default_factory=list)


def draft_of(customer: Customer) -> CustomerDraft:
    """The customer as the form shows her."""
    birthday = None
    if customer.birthday_month and customer.birthday_day:
        birthday = Birthday(
            customer.birthday_month,
            customer.birthday_day,
            customer.birthday_year,
            customer.birthday_lunar,
            customer.birthday_leap_month,
        )
    return CustomerDraft(
        account_id=customer.account_id,
        nickname=customer.nickname,
        remark=customer.remark,
        wechat_id=customer.wechat_id or "",
        phone=customer.phone or "",
        gender=customer.gender,
        birthday=birthday,
        city=customer.city,
        relationship=customer.relationship_kind,
        stage=customer.stage,
        stage_set_by_hand=customer.stage_set_by_hand,
        source=customer.source,
        referred_by_id=customer.referred_by_id,
        consent_note=customer.consent_note,
        consent_date=customer.consent_date,
        shares_buyer_show=customer.shares_buyer_show,
        notes=customer.notes,
        tags=[t.name for t in customer.tags],
    )


#: The form's names for the fields a conflict sentence names.
FIELD_LABELS = {
    "account_id": QT_TRANSLATE_NOOP("Customers", "WeChat account"),
    "nickname": QT_TRANSLATE_NOOP("Customers", "Nickname"),
    "remark": QT_TRANSLATE_NOOP("Customers", "Remark"),
    "wechat_id": QT_TRANSLATE_NOOP("Customers", "WeChat ID"),
    "phone": QT_TRANSLATE_NOOP("Customers", "Phone"),
    "gender": QT_TRANSLATE_NOOP("Customers", "Gender"),
    "birthday": QT_TRANSLATE_NOOP("Customers", "Birthday"),
    "city": QT_TRANSLATE_NOOP("Customers", "City"),
    "relationship": QT_TRANSLATE_NOOP("Customers", "Relationship"),
    "stage": QT_TRANSLATE_NOOP("Customers", "Stage"),
    "source": QT_TRANSLATE_NOOP("Customers", "Source"),
    "referred_by_id": QT_TRANSLATE_NOOP("Customers", "Referred by"),
    "consent_note": QT_TRANSLATE_NOOP("Customers", "Consent"),
    "notes": QT_TRANSLATE_NOOP("Customers", "Notes"),
    "tags": QT_TRANSLATE_NOOP("Customers", "Tags"),
}


class CustomerConflictError(CustomerError):
    """A field changed here was saved with another value elsewhere; ``conflict`` has both."""

    def __init__(self, conflict: EditConflict[CustomerDraft]) -> None:
        super().__init__(conflict.message(FIELD_LABELS), conflict.fields[0])
        self.conflict = conflict
