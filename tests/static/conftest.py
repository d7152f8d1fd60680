"""The static tier (file checks, no providers needed): each test here gets the `static` marker."""

from tooling import tiers

pytest_itemcollected = tiers.apply("static")
