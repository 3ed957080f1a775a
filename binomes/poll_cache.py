"""The "nothing new" answer of an open conversation's poll, from the cache.

Most polls of an open page find nothing new. The first time a poll finds nothing new for a
member, it remembers its cursor (``after`` and ``decisions``) in the cache under the binôme's
current *generation*; the next polls with the same cursor answer 204 after one cache read and
one indexed membership query, without reading the binôme, its messages or its reviews.

Every change of what a member may see bumps the generation *after commit*:
``binomes.messaging.message_send`` (a new message, held or not) and
``safeguarding.services.text_review_release`` / ``text_review_refuse`` (a decision). A poller
then misses the cache and takes the full path (which reads the database and renders).

Why a generation rather than deleting the remembered cursors: a poll that began before a commit
may read the old state and remember "nothing new" after the writer's deletion; with the
generation read *before* the poll's queries, such a late write lands under the old generation,
which no later poll reads. The bump happens in ``transaction.on_commit`` so that no poll can read
the new generation while the change is still invisible to it.

A generation is a random token, not a counter: ``set`` needs no existing key (an evicted
generation is replaced; a poll that finds none ``add``s one). Losing a bump (Redis unreachable at
that very moment) delays a message by at most ``SEEN_TTL`` seconds, the life of a remembered
cursor. The cache must be shared by every web process: Redis (``REDIS_URL``), or the in-process
cache of a single process (the demo). While Redis is unreachable the shortcut is off (each
process would only see its own bumps) and every poll takes the full path.
"""

from __future__ import annotations

import secrets

from django.core.cache import cache
from django.db import transaction

# A remembered "nothing new" cursor lives this long: the bound on a lost bump's delay, and what a
# poller costs once in this many seconds (the full path) even when nothing happens.
SEEN_TTL = 120
GENERATION_TTL = 24 * 3600


def _generation_key(binome_id: int) -> str:
    return f"conv:gen:{binome_id}"


def _seen_key(binome_id: int, user_id: int) -> str:
    return f"conv:seen:{binome_id}:{user_id}"


def _shared() -> bool:
    # ResilientRedisCache says whether Redis answers; any other backend is trusted as shared (the
    # demo's single process, the tests).
    return bool(getattr(cache, "redis_available", True))


def _cursor(generation: str, after: int, decisions: int) -> str:
    return f"{generation}:{after}:{decisions}"


def conversation_changed(*, binome_id: int) -> None:
    """What a member may see of this binôme's conversation changes in the current transaction:
    a new generation once it commits (nothing if it rolls back)."""
    transaction.on_commit(lambda: cache.set(_generation_key(binome_id), secrets.token_hex(6), GENERATION_TTL))


def poll_state(*, binome_id: int, user_id: int, after: int, decisions: int) -> tuple[bool, str | None]:
    """``(unchanged, generation)``: ``unchanged`` when this member's poll with this cursor found
    nothing new in the current generation; else the generation to pass to ``remember_nothing_new``
    if the full path finds nothing new (read now, before the full path's queries)."""
    if not _shared():
        return False, None
    found = cache.get_many([_generation_key(binome_id), _seen_key(binome_id, user_id)])
    generation = found.get(_generation_key(binome_id))
    if generation is None:
        generation = secrets.token_hex(6)
        if not cache.add(_generation_key(binome_id), generation, GENERATION_TTL):
            generation = cache.get(_generation_key(binome_id))  # a writer or another poll was first
        return False, generation
    return found.get(_seen_key(binome_id, user_id)) == _cursor(generation, after, decisions), generation


def remember_nothing_new(*, binome_id: int, user_id: int, generation: str | None, after: int, decisions: int) -> None:
    """The full path found nothing new for this cursor in ``generation``: the next polls with it
    can answer from the cache (until the generation changes or SEEN_TTL passes)."""
    if generation is not None and _shared():
        cache.set(_seen_key(binome_id, user_id), _cursor(generation, after, decisions), SEEN_TTL)
