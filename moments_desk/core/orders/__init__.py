"""Orders: the status pipeline and stock, first-N allocation, packing, Taobao import."""
