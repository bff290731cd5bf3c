"""Every table of the domain. Import models from here.

The vocabularies (``enums``) load with the package; the table classes (SQLAlchemy's
declarative machinery, ~230 ms of imports under load) load together the first time any of
them is asked for (PEP 562 ``__getattr__``), so the start-up's first paint, which needs
only the vocabularies, does not wait for them.
"""

import importlib
from typing import TYPE_CHECKING, Any

from moments_desk.db.models.enums import (
    AllocationStatus,
    AudienceMode,
    CustomerSource,
    CustomerStage,
    Gender,
    InteractionKind,
    OrderSource,
    OrderStatus,
    PostKind,
    PostStatus,
    ProductStatus,
    Relationship,
    ReminderKind,
    ReminderState,
    UserRole,
)

if TYPE_CHECKING:
    from moments_desk.db.models.accounts import (
        MOMENTS_FRIEND_LIMIT,
        AccountRules,
        User,
        WeChatAccount,
    )
    from moments_desk.db.models.base import Base
    from moments_desk.db.models.catalogue import (
        MediaFile,
        Product,
        ProductImage,
        ProductVariant,
        SharedPicture,
        SharedPictureChunk,
        Tag,
        product_tag,
    )
    from moments_desk.db.models.customers import (
        BuyerShowSource,
        Customer,
        CustomerAddress,
        CustomerPhoto,
        Interaction,
        customer_tag,
    )
    from moments_desk.db.models.library import ContentEntry, ContentEntryImage
    from moments_desk.db.models.orders import Allocation, Order, OrderItem
    from moments_desk.db.models.posts import (
        CadenceSlot,
        Draw,
        Post,
        PostAccount,
        PostImage,
        PostProduct,
        PostScreenshot,
        Reminder,
        post_audience_tag,
    )
    from moments_desk.db.models.system import AppSetting, AuditEntry, ChangeLogEntry


#: The modules holding the table classes, imported together (relationships name each other).
_TABLE_MODULES = (
    "accounts",
    "base",
    "catalogue",
    "customers",
    "library",
    "orders",
    "posts",
    "system",
)


def _load_tables() -> dict[str, Any]:
    found: dict[str, Any] = {}
    for module_name in _TABLE_MODULES:
        module = importlib.import_module(f"{__name__}.{module_name}")
        found.update({name: getattr(module, name) for name in __all__ if hasattr(module, name)})
    return found


def __getattr__(name: str) -> Any:
    """A table class (or ``Base``): every table module is imported on the first ask."""
    if name.startswith("__"):
        raise AttributeError(name)
    loaded = _load_tables()
    globals().update(loaded)
    if name not in loaded:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return loaded[name]


__all__ = [
    "MOMENTS_FRIEND_LIMIT",
    "AccountRules",
    "Allocation",
    "AllocationStatus",
    "AppSetting",
    "AudienceMode",
    "AuditEntry",
    "Base",
    "BuyerShowSource",
    "CadenceSlot",
    "ChangeLogEntry",
    "ContentEntry",
    "ContentEntryImage",
    "Customer",
    "CustomerAddress",
    "CustomerPhoto",
    "CustomerSource",
    "CustomerStage",
    "Draw",
    "Gender",
    "Interaction",
    "InteractionKind",
    "MediaFile",
    "Order",
    "OrderItem",
    "OrderSource",
    "OrderStatus",
    "Post",
    "PostAccount",
    "PostImage",
    "PostKind",
    "PostProduct",
    "PostScreenshot",
    "PostStatus",
    "Product",
    "ProductImage",
    "ProductStatus",
    "ProductVariant",
    "Relationship",
    "Reminder",
    "ReminderKind",
    "ReminderState",
    "SharedPicture",
    "SharedPictureChunk",
    "Tag",
    "User",
    "UserRole",
    "WeChatAccount",
    "customer_tag",
    "post_audience_tag",
    "product_tag",
]
