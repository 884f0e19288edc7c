from __future__ import annotations

import pytest

from xiaoqu.conftest import World


@pytest.fixture
def credit(catalog: World) -> World:
    """The world with the legal catalog and the demerit rules seeded."""
    from xiaoqu.credit.seed import credit_seed

    credit_seed()
    return catalog
