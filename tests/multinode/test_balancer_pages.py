"""What the balancer itself answers when no app node can: the shipped configuration's own
page, in Dutch and English. Needs only HAProxy (no database, no nodes)."""

import time

import pytest
import requests

from tests.conftest import free_port
from tests.multinode.cluster import HOST, Service, balancer, haproxy_binary


@pytest.fixture
def balancer_without_nodes(tmp_path):
    if haproxy_binary() is None:
        pytest.skip("HAProxy is not installed (apt-get install haproxy)")
    port = free_port()
    args, env = balancer(port, (free_port(), free_port()), tmp_path / "haproxy.sock")
    service = Service("balancer", args, env, tmp_path / "balancer.log")
    service.start()
    try:
        yield f"http://{HOST}:{port}"
    finally:
        service.stop()


def test_with_every_node_down_residents_read_what_to_do(balancer_without_nodes):
    answer = None
    for _ in range(50):
        try:
            answer = requests.get(f"{balancer_without_nodes}/formulieren/vraag", timeout=5)
            break
        except requests.ConnectionError:  # HAProxy still starting
            time.sleep(0.1)
    assert answer is not None and answer.status_code == 503
    assert answer.headers["Content-Type"] == "text/html; charset=utf-8"
    assert '<html lang="nl">' in answer.text and '<div lang="en">' in answer.text
    assert "Deze website is even niet bereikbaar" in answer.text
    assert "verstuur het nog een keer" in answer.text
