"""What Temporal says a dossier's chain is: a closed workflow's result (its chain head, read
without replaying it), or the ``audit_chain`` query (every hash, answered by a worker)."""

from __future__ import annotations

from datetime import timedelta

from temporalio.client import Client, WorkflowExecutionStatus, WorkflowQueryFailedError
from temporalio.service import RPCError, RPCStatusCode

from motcua.audit._chain import Truth
from motcua.dossier import DossierOutcome
from workflows import ProcedureWorkflow


class Unverifiable(Exception):
    """Temporal cannot say what the dossier's chain is (no worker, the workflow failed...)."""


async def workflow_truth(client: Client, workflow_id: str, *, timeout: timedelta) -> Truth | None:
    """The chain as the dossier's workflow holds it: the head in a completed workflow's result
    (no worker needed, nothing replayed), else every hash from the query. None when Temporal
    no longer has the workflow (its retention has passed: only the anchors vouch for it now).

    Raises:
        Unverifiable: the workflow has no result with a head and does not answer the query.
    """
    handle = client.get_workflow_handle(workflow_id, result_type=DossierOutcome)
    try:
        description = await handle.describe(rpc_timeout=timeout)
    except RPCError as error:
        if error.status == RPCStatusCode.NOT_FOUND:
            return None
        raise Unverifiable(f"Temporal does not describe the workflow ({error})") from None
    if description.status == WorkflowExecutionStatus.COMPLETED:
        outcome = await handle.result(rpc_timeout=timeout)
        if outcome.chain_head is not None:
            return Truth(
                source="workflow result",
                complete_to=outcome.chain_seq,
                head=(outcome.chain_seq, outcome.chain_head),
            )
    chain = await full_chain(client, workflow_id, timeout=timeout)
    if chain is None:
        raise Unverifiable("the workflow does not answer its audit_chain query")
    return chain


async def full_chain(client: Client, workflow_id: str, *, timeout: timedelta) -> Truth | None:
    """Every hash of the chain, from the workflow's query (which a closed workflow answers too,
    by a replay, while a worker runs); None when no worker answers in ``timeout``."""
    handle = client.get_workflow_handle_for(ProcedureWorkflow.run, workflow_id)
    try:
        chain = await handle.query(ProcedureWorkflow.audit_chain, rpc_timeout=timeout)
    except (RPCError, WorkflowQueryFailedError):  # no worker; or one of a release before it
        return None
    return Truth(source="workflow", complete_to=chain.projected_seq, hashes=chain.hashes)
