from django.apps import AppConfig


class BenchConfig(AppConfig):
    """Benchmark commands (docs/benchmarks.md): data generators and timed runs beside raw SQL.
    Operations, not product: nothing in the apps imports them."""

    name = "bench"
    verbose_name = "benchmarks"
