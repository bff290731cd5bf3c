"""手机接力 (phone relay): a post reaches the seller's phone in one scan and comes back posted.

Qt-free: relay sessions and their tokens, which posts and pictures in which order, the phone
page, the upload checks and the small HTTP server. The laptop dialogs live in ``ui/relay``;
the headless ``moments-desk relay`` command in ``moments_desk/cli/relay.py``.
"""
