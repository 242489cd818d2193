"""The URLconf of the benchmark's gunicorn workers (``bench.web_settings``): the product's
routes and the bare views (``bench/bare.py``) under ``/__bench__/``. Never in production."""

from django.urls import path

from bench.bare import bare_view
from hrdcase.urls import handler404
from hrdcase.urls import urlpatterns as product_urlpatterns

urlpatterns = [
    path("__bench__/bare/<slug:name>/", bare_view, name="bench-bare"),
    *product_urlpatterns,
]

__all__ = ["handler404", "urlpatterns"]
