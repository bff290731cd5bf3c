"""Likes and comments read from screenshots of a Moments post (截图识别), on this laptop.

The OCR engine loads on first use; importing this package costs nothing at start-up.
"""
