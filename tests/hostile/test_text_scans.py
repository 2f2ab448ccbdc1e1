"""Hostile values for every text scan an import runs: each finishes in time linear in its
length (a 1 MB value would take minutes with a pattern that retries from every position)
and still finds the addresses a normal value holds."""

from __future__ import annotations

import time

import pytest

from workbench.domain.addresses import endpoints_of
from workbench.domain.quantities import quantity_or_none
from workbench.domain.readiness.signals import container_signals
from workbench.io.sanitise import sanitise_value, scan_text, scrub_credentials, urls_in

MB = 1_000_000
# shapes that made open-ended patterns retry from every position
HOSTILE = {
    "letters": "a" * MB,
    "scheme characters": "a-" * (MB // 2),
    "colons": "a:" * (MB // 2),
    "separators": "://" * (MB // 3),
    "at signs": "a@" * (MB // 2),
    "userinfo": "a:b@" * (MB // 4),
    "keys": "k=" * (MB // 2),
    "digits": "1" * MB + "x",
    "bind words": "bind" * (MB // 4),
}
BUDGET_S = 10.0  # generous under load; a quadratic scan of 1 MB takes many minutes


@pytest.mark.parametrize("shape", sorted(HOSTILE))
def test_every_scan_of_a_hostile_megabyte_finishes(shape: str) -> None:
    value = HOSTILE[shape]
    started = time.perf_counter()
    list(scan_text("config", value))
    list(scan_text("config", value + "\nurl=http://cart:8080"))
    sanitise_value("SERVICE_URL", value)
    scrub_credentials(value)
    endpoints_of(value)
    quantity_or_none(value)
    container_signals({"name": "c", "args": [value], "env": [{"name": "BIND", "value": value}]})
    assert time.perf_counter() - started < BUDGET_S


def test_addresses_are_still_found_next_to_hostile_text() -> None:
    text = "a" * 100_000 + " see http://user:pw@orders.shop:8080/x and\nredis: redis.cache:6379"
    found = dict(scan_text("app.conf", text))
    assert "http://orders.shop:8080" in found.values()
    assert "redis.cache:6379" in found.values()


def test_urls_in_finds_each_url_once_with_its_scheme() -> None:
    text = "x jdbc:mysql://db:3306/a,http://b:80 'amqp://q:5672' ://bare"
    assert list(urls_in(text)) == ["jdbc:mysql://db:3306/a,http://b:80", "amqp://q:5672"]


def test_a_value_too_long_to_be_an_address_is_neither_parsed_nor_remembered() -> None:
    assert endpoints_of("cart," * 2000) is None
    assert sanitise_value("CART_HOST", "cart:8080").kept == "cart:8080"
