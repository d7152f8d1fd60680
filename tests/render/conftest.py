"""The render tier (helm template of the real Mastodon chart): each test here gets the `render` marker."""

from tooling import tiers

pytest_itemcollected = tiers.apply("render")
