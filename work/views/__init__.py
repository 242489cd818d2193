"""Pages of the work app, one module per sub-domain: ``home`` (the work queue), ``calendar``
(the month and agenda views, the feed's secret URL) and ``feed`` (the iCal feed itself)."""
