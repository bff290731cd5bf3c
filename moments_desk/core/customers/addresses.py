"""Chinese shipping addresses as exports write them: "省 市 区 详细(邮编)"."""

from __future__ import annotations

import re
from dataclasses import dataclass

_POSTCODE = re.compile(r"\s*[（(]\s*(\d{6}|000000)\s*[）)]\s*$")
_COMPACT = re.compile(
    r"^(?P<p>.+?(?:省|自治区|特别行政区|北京市|天津市|上海市|重庆市))"
    r"(?P<c>.+?(?:市|自治州|地区|盟))?"
    r"(?P<d>.+?(?:区|县|旗|市))?"
    r"(?P<rest>.*)$"
)


@dataclass(frozen=True)
class ParsedAddress:
    province: str = ""
    city: str = ""
    district: str = ""
    detail: str = ""
    postcode: str = ""

    def one_line(self) -> str:
        parts = [self.province, self.city, self.district, self.detail]
        return " ".join(p for p in parts if p)


def parse_address(text: str) -> ParsedAddress:
    """Split an address into province, city, district, detail and postcode.

    Taobao separates the first three by spaces; hand-typed addresses often run together,
    so those are split at the 省/市/区/县 suffixes. What cannot be split stays in detail.
    """
    text = re.sub(r"[\s\u3000]+", " ", text).strip()
    postcode = ""
    found = _POSTCODE.search(text)
    if found:
        postcode = "" if found.group(1) == "000000" else found.group(1)
        text = text[: found.start()].strip()
    if not text:
        return ParsedAddress(postcode=postcode)
    parts = text.split(" ")
    if len(parts) >= 4:
        return ParsedAddress(parts[0], parts[1], parts[2], " ".join(parts[3:]), postcode)
    compact = _COMPACT.match(text.replace(" ", ""))
    if compact and compact["c"] and compact["rest"]:
        return ParsedAddress(
            compact["p"], compact["c"] or "", compact["d"] or "", compact["rest"], postcode
        )
    return ParsedAddress(detail=text, postcode=postcode)
