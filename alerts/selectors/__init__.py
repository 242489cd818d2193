"""Reads of alerts and notifications, one module per sub-domain (``alerts``,
``notifications``), always through the scoped managers."""
