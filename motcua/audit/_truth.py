"""What Temporal says a dossier's chain is: the workflow's ``audit_chain`` query, or, when no
worker answers for a closed workflow, the chain head in its result."""

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
    """The chain as the dossier's workflow holds it; None when Temporal no longer has the
    workflow (its retention has passed: only the anchors vouch for it now).

    Raises:
        Unverifiable: neither the query nor a result answers.
    """
    handle = client.get_workflow_handle_for(ProcedureWorkflow.run, workflow_id)
    try:
        chain = await handle.query(ProcedureWorkflow.audit_chain, rpc_timeout=timeout)
    except RPCError as error:
        if error.status == RPCStatusCode.NOT_FOUND:
            return None
        query_error: Exception = error
    except WorkflowQueryFailedError as error:  # e.g. a worker of a release before the chain
        query_error = error
    else:
        return Truth(source="workflow", complete_to=chain.projected_seq, hashes=chain.hashes)
    return await _from_result(client, workflow_id, query_error, timeout)


async def _from_result(
    client: Client, workflow_id: str, query_error: Exception, timeout: timedelta
) -> Truth:
    handle = client.get_workflow_handle(workflow_id, result_type=DossierOutcome)
    description = await handle.describe(rpc_timeout=timeout)
    if description.status != WorkflowExecutionStatus.COMPLETED:
        raise Unverifiable(f"the workflow does not answer its query ({query_error})")
    outcome = await handle.result(rpc_timeout=timeout)
    if outcome.chain_head is None:
        raise Unverifiable("the workflow ended before dossiers kept a hash chain")
    return Truth(
        source="workflow result",
        complete_to=outcome.chain_seq,
        head=(outcome.chain_seq, outcome.chain_head),
    )
