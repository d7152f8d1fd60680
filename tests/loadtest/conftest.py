"""The loadtest tier (./run loadtest against a fake instance): each test here gets the `loadtest` marker."""

from tooling import tiers

pytest_itemcollected = tiers.apply("loadtest")
