"""The e2e tier (a real DigitalOcean deployment): each test here gets the `e2e` marker."""

from tooling import tiers

pytest_itemcollected = tiers.apply("e2e")
