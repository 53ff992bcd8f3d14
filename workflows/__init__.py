"""Deterministic Temporal workflows: the procedure interpreter and interconnected bundles."""

from workflows.bundle import BundleInput, BundleStatus, BundleWorkflow
from workflows.procedure import ProcedureWorkflow

__all__ = ["BundleInput", "BundleStatus", "BundleWorkflow", "ProcedureWorkflow"]
