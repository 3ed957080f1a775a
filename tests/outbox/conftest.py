from tests.api.conftest import proposal  # noqa: F401 - fixtures
from tests.binomes.conftest import binome, mentee_user, mentor_user  # noqa: F401 - fixtures
