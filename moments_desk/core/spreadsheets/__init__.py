"""Reading and writing the spreadsheets sellers exchange with Excel, WPS and Taobao."""
