"""Activities: the side effects of a dossier, thin wrappers over adapters and the store.

Workflows import :mod:`activities.contracts` only; the worker imports the implementations from
their modules (``activities.store``, ``activities.payments``, ...).
"""
