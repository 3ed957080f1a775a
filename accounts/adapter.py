from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest


class AccountAdapter(DefaultAccountAdapter):
    """Sign-up happens on an association's page (participants) or by invitation (coordinators).

    The bare allauth sign-up stays open so that someone can create a login first and join an
    association afterwards; nothing else about allauth's flows is changed.
    """

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return True
