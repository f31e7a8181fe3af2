"""Who acts: every action takes an ``Actor`` so that permission and audit never guess.

An actor is a value, built once per request (``identity.selectors.get_actor``) or per
job (``Actor.system``). It carries what authorisation needs (agency and roles), and
what the audit log records (kind, id, display name), never personal data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

__all__ = ["Actor", "ActorKind"]


class ActorKind(StrEnum):
    CITIZEN = "citizen"
    OFFICIAL = "official"
    API_CLIENT = "api_client"
    SYSTEM = "system"
    ANONYMOUS = "anonymous"


@dataclass(frozen=True, slots=True)
class Actor:
    kind: ActorKind
    id: str
    display_name: str = ""
    user_id: int | None = None
    agency_id: int | None = None
    roles: frozenset[str] = field(default_factory=frozenset)
    is_superuser: bool = False

    @classmethod
    def system(cls, name: str = "system") -> Actor:
        return cls(kind=ActorKind.SYSTEM, id=name, display_name=name)

    @classmethod
    def anonymous(cls) -> Actor:
        return cls(kind=ActorKind.ANONYMOUS, id="anonymous")

    @property
    def ref(self) -> str:
        """Return the stable reference written to the audit log (``official:12``)."""
        return f"{self.kind.value}:{self.id}"

    @property
    def is_official(self) -> bool:
        return self.kind is ActorKind.OFFICIAL

    @property
    def is_system(self) -> bool:
        return self.kind is ActorKind.SYSTEM

    def has_role(self, *roles: str) -> bool:
        return self.is_superuser or self.is_system or bool(self.roles.intersection(roles))
