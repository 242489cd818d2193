"""API representations of alerts, one module per sub-domain (``alerts``, ``notifications``,
``policy``): validation only; services write."""
