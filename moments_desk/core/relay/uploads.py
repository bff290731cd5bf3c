"""Reading an upload from the phone: bounded multipart parsing and Chinese refusals.

The body is already capped in size by the server; here the parts are taken apart with the
standard library's MIME parser, file names are kept only as labels (never as paths), and
every refusal has a short sentence for the phone.
"""

from __future__ import annotations

from email import policy
from email.parser import BytesParser

#: Why an upload was refused → the sentence the phone shows.
REFUSALS = {
    "no_files": "没有收到图片，请先选择截图",
    "too_large": "截图太大了，每张不能超过 {mb} MB",
    "request_too_large": "一次传的太多了，请分几次上传",
    "count": "这次接力收到的截图已经够多了，请在电脑上重新打开接力",
    "rate": "传得太快了，请一分钟后再试",
    "not_an_image": "这不是图片，请选择手机截图",
    "unsupported_format": "不支持这种图片格式，请用 JPG、PNG、WebP、GIF 或 HEIC",
    "too_many_pixels": "这张图片太大了，打不开",
    "truncated": "图片损坏或没传完整，请重新截图",
    "empty": "图片是空的，请重新选择",
    "too_large_file": "截图太大了，请重新截图",
    "bad_request": "上传格式不对，请刷新页面后再试",
    "gone": "这条朋友圈已在电脑上删除",
}


class UploadRefused(Exception):
    def __init__(self, reason: str, status: int, **values: object) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status
        self.message = REFUSALS.get(reason, REFUSALS["bad_request"]).format(**values)


def parse_files(content_type: str, body: bytes, max_file_bytes: int) -> list[tuple[str, bytes]]:
    """The ``file`` fields of a multipart/form-data body as (label, bytes)."""
    if not content_type.lower().startswith("multipart/form-data") or "boundary=" not in (
        content_type.lower()
    ):
        raise UploadRefused("bad_request", 400)
    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode("latin-1")
    try:
        message = BytesParser(policy=policy.HTTP).parsebytes(head + body)
    except (ValueError, UnicodeError) as error:
        raise UploadRefused("bad_request", 400) from error
    if not message.is_multipart():
        raise UploadRefused("bad_request", 400)
    found = []
    for part in message.iter_parts():
        if part.get_param("name", header="content-disposition") != "file":
            continue
        data = part.get_payload(decode=True)
        if not isinstance(data, bytes):
            continue
        if not data:
            if part.get_filename():
                raise UploadRefused("empty", 422)
            continue  # a file field left empty
        if len(data) > max_file_bytes:
            raise UploadRefused("too_large", 413, mb=max_file_bytes // 1024 // 1024)
        raw_name = part.get_filename() or "截图"
        # Only a label for messages: the last path part, printable, short.
        last = raw_name.replace("\\", "/").rsplit("/", 1)[-1]
        label = "".join(c for c in last if c.isprintable())
        found.append((label[:80] or "截图", data))
    if not found:
        raise UploadRefused("no_files", 400)
    return found
