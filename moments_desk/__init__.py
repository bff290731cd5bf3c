"""Moments Desk (朋友圈卖货台): WeChat Moments selling for small Taobao sellers.

The app prepares posts and tracks what happens under them; it never automates WeChat.
"""

__version__ = "0.1.0"
APP_NAME = "Moments Desk"
APP_ID = "MomentsDesk"
