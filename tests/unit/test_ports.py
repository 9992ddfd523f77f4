"""Each outside system's implementation is chosen by a setting; a wrong one stops the start."""

import pytest

from app import create_app
from app.config import TestConfig
from app.ports import PORTS, PortConfigurationError


@pytest.mark.parametrize("port", PORTS, ids=lambda port: port.setting)
def test_a_setting_that_names_no_implementation_stops_the_app_at_start(port):
    config = type("Config", (TestConfig,), {port.setting: "nonexistent"})
    with pytest.raises(PortConfigurationError) as refusal:
        create_app(config)
    assert f"{port.setting}='nonexistent'" in str(refusal.value)
    # The message names the values there are.
    assert all(name in str(refusal.value) for name in port.implementations)


@pytest.mark.parametrize("port", PORTS, ids=lambda port: port.setting)
def test_the_setting_is_read_without_regard_to_case_or_spaces(port):
    default = str(getattr(TestConfig, port.setting))
    app = create_app(type("Config", (TestConfig,), {port.setting: f" {default.title()} "}))
    assert app.extensions[port.key] is not None
