"""The workflow tests' small world (two counties, staff, units, a category), for Open311."""

from tests.suggestions.conftest import _fast_password_hasher, world  # noqa: F401
