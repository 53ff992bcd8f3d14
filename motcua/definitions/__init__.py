"""Procedure definitions: schema, YAML loader with line numbers, linter and diagrams."""

from motcua.definitions._catalog import Catalog, load_catalog
from motcua.definitions._diff import Change, ProcedureDiff, diff_procedures
from motcua.definitions._evaluate import evaluate, fields
from motcua.definitions._expr import MAX_CONDITION_LENGTH, MAX_CONDITION_NESTING, parse_condition
from motcua.definitions._graph import mermaid, mermaid_bundle, summary
from motcua.definitions._lint import lint, validate_paths
from motcua.definitions._loader import (
    MAX_YAML_NODES,
    DefinitionError,
    Problem,
    load_definition,
    load_registry,
    load_yaml_model,
)
from motcua.definitions._migrations import upgrade
from motcua.definitions._models import (
    CURRENT_SCHEMA_VERSION,
    ApprovalStep,
    Bundle,
    BundleMember,
    ConsultBranch,
    ConsultStep,
    Deadline,
    Document,
    Fee,
    FeeRate,
    HumanStep,
    LocalizedName,
    PaymentStep,
    Procedure,
    ReceiptStep,
    ResultStep,
    ReviewStep,
    Step,
    VerifyStep,
    WorkSpan,
)
from motcua.definitions._ref import BadReference, ProcedureRef, parse_ref, resolve_ref
from motcua.definitions._registry import Agency, Registry

__all__ = [
    "CURRENT_SCHEMA_VERSION",
    "MAX_CONDITION_LENGTH",
    "MAX_CONDITION_NESTING",
    "MAX_YAML_NODES",
    "Agency",
    "ApprovalStep",
    "BadReference",
    "Bundle",
    "BundleMember",
    "Catalog",
    "Change",
    "ConsultBranch",
    "ConsultStep",
    "Deadline",
    "DefinitionError",
    "Document",
    "Fee",
    "FeeRate",
    "HumanStep",
    "LocalizedName",
    "PaymentStep",
    "Problem",
    "Procedure",
    "ProcedureDiff",
    "ProcedureRef",
    "ReceiptStep",
    "Registry",
    "ResultStep",
    "ReviewStep",
    "Step",
    "VerifyStep",
    "WorkSpan",
    "diff_procedures",
    "evaluate",
    "fields",
    "lint",
    "load_catalog",
    "load_definition",
    "load_registry",
    "load_yaml_model",
    "mermaid",
    "mermaid_bundle",
    "parse_condition",
    "parse_ref",
    "resolve_ref",
    "summary",
    "upgrade",
    "validate_paths",
]
