"""Putuo demo data (演示数据): a deterministic plan of estates, committees, companies,
studios and users (`plan`), and its idempotent loading (`load`, `users`). Every row it writes
is labelled is_demo."""

from .load import DemoLoadResult, demo_load
from .plan import DEMO_ESTATES, DEMO_SEED, demo_plan
from .users import DEMO_PASSWORD

__all__ = ["DEMO_ESTATES", "DEMO_PASSWORD", "DEMO_SEED", "DemoLoadResult", "demo_load", "demo_plan"]
