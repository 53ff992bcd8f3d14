"""Deterministic Temporal workflows: the procedure interpreter and interconnected bundles."""

from workflows.bundle import BundleWorkflow
from workflows.procedure import ProcedureWorkflow

__all__ = ["BundleWorkflow", "ProcedureWorkflow"]
