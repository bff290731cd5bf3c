"""Spreadsheets sellers exchange with Excel, WPS and Taobao.

Read safely; written with cells that cannot turn into formulas.
"""
