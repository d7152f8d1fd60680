"""The plan tier (terraform plan of temporary copies): each test here gets the `plan` marker."""

from tooling import tiers

pytest_itemcollected = tiers.apply("plan")
