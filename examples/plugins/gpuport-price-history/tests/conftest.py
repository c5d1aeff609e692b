import pytest

import gpuport_price_history.plugin


@pytest.fixture(autouse=True)
def price_history_plugin(register_plugin):
    """Make ``type: price_history`` and ``price-changes`` available, installed or not."""
    return register_plugin(gpuport_price_history.plugin)
