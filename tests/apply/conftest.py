"""The apply tier (offline applies, a local control plane): each test here gets the `apply` marker."""

from tests.servers import api  # noqa: F401 - a fixture: importing it here offers it to these tests
from tooling import tiers

pytest_itemcollected = tiers.apply("apply")
