"""发到手机: the laptop side of the phone relay (QR code dialog and live status)."""
