"""Forms of the alert pages, one module per sub-domain (``alerts``, ``policy``, ``checkins``):
they validate input and the views call the services."""
