from tests.api.conftest import (  # noqa: F401  (the API's fixtures and clock for the privacy tests)
    _api_clock,
    analyst_client,
    decision_client,
    handler2,
    handler_client,
    manager_client,
    other_group,
)
