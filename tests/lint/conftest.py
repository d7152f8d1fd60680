"""The lint tier (the linters of `./run lint`, run on the project and on fixtures that break their rules):
each test here gets the `lint` marker."""

from tooling import tiers

pytest_itemcollected = tiers.apply("lint")
