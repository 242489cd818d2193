from django.apps import AppConfig


class BenchConfig(AppConfig):
    """The performance benchmark: data generator (``bench_seed``) and measurement
    (``bench_run``, ``make bench``). Never imported by the product apps."""

    name = "bench"
    verbose_name = "Benchmark"
    default_auto_field = "django.db.models.BigAutoField"
