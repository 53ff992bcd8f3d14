#!/bin/sh
# Register motcua's custom search attributes (workflows/_search.py) once the Temporal server
# and its namespace answer. Safe to run again: an attribute that exists is left alone.
set -eu

NAMESPACE="${TEMPORAL_NAMESPACE:-default}"

until temporal operator cluster health >/dev/null 2>&1; do
  echo "waiting for Temporal at ${TEMPORAL_ADDRESS}..."
  sleep 2
done
until temporal operator namespace describe --namespace "$NAMESPACE" >/dev/null 2>&1; do
  echo "waiting for namespace ${NAMESPACE}..."
  sleep 2
done

existing="$(temporal operator search-attribute list --namespace "$NAMESPACE")"
for attribute in MotcuaStatus:Keyword MotcuaProcedure:Keyword MotcuaAgency:Keyword \
  MotcuaDossierCode:Keyword MotcuaDueAt:Datetime; do
  name="${attribute%%:*}"
  type="${attribute##*:}"
  if printf '%s\n' "$existing" | grep -qw "$name"; then
    echo "search attribute $name exists"
  else
    temporal operator search-attribute create --namespace "$NAMESPACE" \
      --name "$name" --type "$type"
    echo "search attribute $name ($type) created"
  fi
done
