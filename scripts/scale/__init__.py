"""The city-sized synthetic data set of the benchmark (``scripts/generate_scale.py``,
``scripts/bench.py``): bench tooling, not an app of the product."""

from scale.generator import CITY_NAME, CITY_USERNAME, PASSWORD, TEMPLATE_CODE, Generator, Report

__all__ = ["CITY_NAME", "CITY_USERNAME", "PASSWORD", "TEMPLATE_CODE", "Generator", "Report"]
