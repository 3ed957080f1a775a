from tests.api.conftest import as_alice, as_bob, as_charlie, as_mentee, as_mentor  # noqa: F401 - fixtures
from tests.binomes.conftest import binome, mentee_user, mentor_user  # noqa: F401 - fixtures
