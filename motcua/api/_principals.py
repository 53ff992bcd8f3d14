"""The callers (moved to :mod:`motcua.services`, which decides what each may see); kept here so
that ``motcua.api._principals`` imports keep working."""

from motcua.services._principals import SERVICE_SCOPES, Citizen, Officer, Principal, Service

__all__ = ["SERVICE_SCOPES", "Citizen", "Officer", "Principal", "Service"]
