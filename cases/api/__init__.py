"""The case file's REST API under ``/api/v1/cases/``, one module per part (the same names as
``cases/models/``); ``cases/api_urls.py`` mounts it. The same services and the same
visibility rule as the pages: every route opens its case through ``get_case_for``, and the
services' errors become JSON answers in ``hrdcase.api_conf.exception_handler``."""
