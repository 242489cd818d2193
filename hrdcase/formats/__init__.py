"""Date and time formats of hrdcase, one module per language (``FORMAT_MODULE_PATH``).

Every date shown is unambiguous: day, abbreviated month name, four-digit year ("4 Dec 2026",
"4 déc. 2026", "4 dic 2026"), never 12/04/2026 (4 December or 12 April?), and times are
24-hour. The short formats are as unambiguous as the long ones: a list column uses them too.

Input formats accept ISO first: ``<input type="date">`` posts YYYY-MM-DD and Django puts the
first input format in a date input's value, which the browser only reads as ISO. What a
language does not define here comes from Django's own locale module.
"""
