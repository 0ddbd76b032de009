#!/bin/sh
# Registers the namespace and Passpro's custom search attributes (PASSPRO_SEARCH_ATTRIBUTES="Name=Type,…").
# Safe to run at every start: what exists is left alone. The CLI presents its client certificate from the
# TEMPORAL_TLS_* variables that docker-compose.yml gives (the frontend requires mTLS).
set -eu
ns="${TEMPORAL_NAMESPACE:-default}"
until temporal operator cluster health --address "$TEMPORAL_ADDRESS" >/dev/null 2>&1; do sleep 2; done
temporal operator namespace describe -n "$ns" --address "$TEMPORAL_ADDRESS" >/dev/null 2>&1 \
  || temporal operator namespace create -n "$ns" --retention 90d --address "$TEMPORAL_ADDRESS"
# A namespace just created is served once the frontend's namespace cache has refreshed (seconds).
until existing=$(temporal operator search-attribute list -n "$ns" --address "$TEMPORAL_ADDRESS" 2>/dev/null); do sleep 2; done
for pair in $(echo "$PASSPRO_SEARCH_ATTRIBUTES" | tr ',' ' '); do
  name="${pair%%=*}"; type="${pair#*=}"
  if echo "$existing" | grep -qw "$name"; then
    echo "search attribute $name already registered"
  else
    temporal operator search-attribute create -n "$ns" --name "$name" --type "$type" --address "$TEMPORAL_ADDRESS"
  fi
done
