import pytest
from render_cases import all_cases


@pytest.fixture(scope="session")
def cases():
    return all_cases()
