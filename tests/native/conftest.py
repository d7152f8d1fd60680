"""The native tier (terraform test with mock providers): each test here gets the `native` marker."""

from tooling import tiers

pytest_itemcollected = tiers.apply("native")
