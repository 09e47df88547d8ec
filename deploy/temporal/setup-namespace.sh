#!/bin/sh
# One-shot (temporalio/admin-tools): waits for the Temporal frontend, creates the namespace if missing and registers
# the case search attributes (the list in src/workflows/case/search-attributes.ts; test/platform/compose.test.ts
# keeps the two equal). Idempotent: an attribute that exists with the same type is left alone. The worker registers
# them again at start, so a deployment against a Temporal server managed elsewhere needs nothing from here.
set -eu
address=${TEMPORAL_ADDRESS:-temporal:7233}
namespace=${TEMPORAL_NAMESPACE:-default}
retention=${TEMPORAL_NAMESPACE_RETENTION:-90d}

retry() {
  what=$1
  shift
  i=0
  until "$@"; do
    i=$((i + 1))
    if [ "$i" -ge 60 ]; then
      echo "gave up after 120 s: $what" >&2
      exit 1
    fi
    sleep 2
  done
}

retry "Temporal at $address is not healthy" temporal operator cluster health --address "$address"

if temporal operator namespace describe --address "$address" --namespace "$namespace" >/dev/null 2>&1; then
  echo "namespace $namespace exists"
else
  temporal operator namespace create --address "$address" --namespace "$namespace" --retention "$retention"
fi

# A new namespace reaches every frontend cache within seconds: retry until it does.
retry "registering search attributes in $namespace" \
  temporal operator search-attribute create --address "$address" --namespace "$namespace" \
    --name CaseId --type Keyword \
    --name AgencyId --type Keyword \
    --name LeaderId --type Keyword \
    --name CaseStage --type Keyword \
    --name NextDueAt --type Datetime \
    --name OverdueCount --type Int \
    --name EnforcementField --type Keyword \
    --name MajorCase --type Bool
echo "namespace $namespace ready"
