"""Translated names for the domain's vocabularies."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from moments_desk.db.models import (
    CustomerSource,
    CustomerStage,
    Gender,
    OrderStatus,
    PostKind,
    PostStatus,
    ProductStatus,
    Relationship,
)


def post_kind(kind: PostKind) -> str:
    names = {
        PostKind.NEW_ARRIVAL: QCoreApplication.translate("Labels", "New arrivals"),
        PostKind.PROMOTION: QCoreApplication.translate("Labels", "Promotion"),
        PostKind.ACTIVITY: QCoreApplication.translate("Labels", "Activity"),
        PostKind.LIFESTYLE: QCoreApplication.translate("Labels", "Lifestyle"),
        PostKind.FEEDBACK: QCoreApplication.translate("Labels", "Buyer feedback"),
    }
    return names[kind]


def post_status(status: PostStatus) -> str:
    names = {
        PostStatus.DRAFT: QCoreApplication.translate("Labels", "Draft"),
        PostStatus.AWAITING_APPROVAL: QCoreApplication.translate("Labels", "Awaiting approval"),
        PostStatus.SCHEDULED: QCoreApplication.translate("Labels", "Scheduled"),
        PostStatus.DUE: QCoreApplication.translate("Labels", "Due"),
        PostStatus.POSTED: QCoreApplication.translate("Labels", "Posted"),
        PostStatus.SKIPPED: QCoreApplication.translate("Labels", "Skipped"),
    }
    return names[status]


def product_status(status: ProductStatus) -> str:
    names = {
        ProductStatus.ON_SALE: QCoreApplication.translate("Labels", "On sale"),
        ProductStatus.SOLD_OUT: QCoreApplication.translate("Labels", "Sold out"),
        ProductStatus.OFF_SHELF: QCoreApplication.translate("Labels", "Off shelf"),
    }
    return names[status]


def customer_stage(stage: CustomerStage) -> str:
    names = {
        CustomerStage.PROSPECT: QCoreApplication.translate("Labels", "Prospect"),
        CustomerStage.CUSTOMER: QCoreApplication.translate("Labels", "Customer"),
        CustomerStage.FAN: QCoreApplication.translate("Labels", "Fan"),
        CustomerStage.IRON_FAN: QCoreApplication.translate("Labels", "Iron fan"),
    }
    return names[stage]


def gender(value: Gender) -> str:
    names = {
        Gender.UNKNOWN: QCoreApplication.translate("Labels", "Not given"),
        Gender.FEMALE: QCoreApplication.translate("Labels", "Female"),
        Gender.MALE: QCoreApplication.translate("Labels", "Male"),
    }
    return names[value]


def relationship(value: Relationship) -> str:
    names = {
        Relationship.CUSTOMER: QCoreApplication.translate("Labels", "Customer"),
        Relationship.FRIEND: QCoreApplication.translate("Labels", "Friend"),
        Relationship.FAMILY: QCoreApplication.translate("Labels", "Family"),
        Relationship.COLLEAGUE: QCoreApplication.translate("Labels", "Colleague"),
    }
    return names[value]


def customer_source(value: CustomerSource) -> str:
    names = {
        CustomerSource.UNKNOWN: QCoreApplication.translate("Labels", "Unknown"),
        CustomerSource.TAOBAO: QCoreApplication.translate("Labels", "Taobao"),
        CustomerSource.OFFLINE: QCoreApplication.translate("Labels", "Offline"),
        CustomerSource.REFERRAL: QCoreApplication.translate("Labels", "Referral"),
        CustomerSource.MOMENTS: QCoreApplication.translate("Labels", "Moments"),
    }
    return names[value]


def order_status(value: OrderStatus) -> str:
    names = {
        OrderStatus.AWAITING_PAYMENT: QCoreApplication.translate("Labels", "Awaiting payment"),
        OrderStatus.PAID: QCoreApplication.translate("Labels", "Paid"),
        OrderStatus.SHIPPED: QCoreApplication.translate("Labels", "Shipped"),
        OrderStatus.COMPLETED: QCoreApplication.translate("Labels", "Completed"),
        OrderStatus.CANCELLED: QCoreApplication.translate("Labels", "Cancelled"),
        OrderStatus.REFUNDED: QCoreApplication.translate("Labels", "Refunded"),
    }
    return names[value]
