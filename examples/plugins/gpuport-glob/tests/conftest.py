import pytest

import gpuport_glob.plugin


@pytest.fixture(autouse=True)
def glob_plugin(register_plugin):
    """Make ``operator: glob`` available on the test host, installed or not."""
    return register_plugin(gpuport_glob.plugin)
