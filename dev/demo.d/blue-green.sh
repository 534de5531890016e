#!/usr/bin/env bash
# `dev/demo blue-green`: examples/blue-green.yaml on the local cluster. A new image comes up as the
# preview (1 pod behind shop-preview) while shop-active stays on the running pods; a smoke-test Job
# passes; the rollout waits for a promote; the preview grows to all replicas and only then does
# shop-active switch; the old pods go after scaleDownDelaySeconds. Then a release whose smoke test
# fails: shop-active never moves and the preview is scaled down. Leaves no process behind.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
NS=sluice-bluegreen-demo
LOG_DIR=$ROOT/target/demo-blue-green; mkdir -p "$LOG_DIR"
# shellcheck source=common.sh
. "$ROOT/dev/demo.d/common.sh"
sluice() { KUBECONFIG=$(dev/cluster kubeconfig) cli/bin/kubectl-sluice "$@" -n "$NS"; }

dev/prereqs demo
if [ "${SLUICE_DEMO_SKIP_BUILD:-}" = 1 ] && [ -f controller/target/sluice-controller.jar ] && [ -f cli/target/kubectl-sluice.jar ]; then
  say "using the controller and plugin jars already built (SLUICE_DEMO_SKIP_BUILD=1)"
else
  say "building Sluice's controller and kubectl plugin (mvn package)"
  mvn -B -q -DskipTests package -pl controller,cli -am
fi

started_cluster=false
if ! dev/cluster status >/dev/null 2>&1; then started_cluster=true; fi
say "starting the local control plane (dev/cluster up; the first run builds it from Go modules)"
dev/cluster up

controller_pid=
trap stop_demo EXIT

install_crds
fresh_namespace
start_controller

# "<hash> <ready>/<desired>" of the ReplicaSet with that hash
pods_of() { [ -n "$1" ] || { printf -- -; return; }; awk -v h="$1" '$1==h {printf "%d/%d", ($3==""?0:$3), $2; found=1} END {if (!found) printf "-"}' <<< "$2"; }

# one line each time something a person would notice changes: the phase, the hash each Service
# selects with the ready pods behind it, and any other ReplicaSet that still has pods
progress_line() {
  local s rs active_pods preview_pods others
  s=$(kubectl -n "$NS" get rollout shop -o jsonpath='{.status.phase}|{.status.blueGreen.activeSelector}|{.status.blueGreen.previewSelector}|{.status.message}' 2>/dev/null) || return 0
  IFS='|' read -r phase active preview message <<< "$s"
  rs=$(kubectl -n "$NS" get rs -l app=shop -o jsonpath='{range .items[*]}{.metadata.labels.sluice\.dev/pod-template-hash} {.spec.replicas} {.status.readyReplicas}{"\n"}{end}')
  active_pods=$(pods_of "$active" "$rs")
  preview_pods=$(pods_of "$preview" "$rs")
  others=$(awk -v a="$active" -v p="$preview" '$1!=a && $1!=p && $2>0 {printf "%s %d/%d ", $1, ($3==""?0:$3), $2}' <<< "$rs")
  printf '%-11s active→%-11s %-5s preview→%-11s %-5s others: %-16s %s\n' \
    "${phase:--}" "${active:--}" "$active_pods" "${preview:--}" "$preview_pods" "${others:--}" "$message"
}


# the generation the controller has seen, so that a status read after an edit is about that edit
observed() {
  local deadline=$((SECONDS + 30)) generation
  generation=$(kubectl -n "$NS" get rollout shop -o jsonpath='{.metadata.generation}')
  until [ "$(kubectl -n "$NS" get rollout shop -o jsonpath='{.status.observedGeneration}')" = "$generation" ]; do
    [ $SECONDS -lt $deadline ] || { echo "demo: the controller did not see generation $generation in 30s" >&2; return 1; }
    sleep 0.25
  done
}

services() {
  kubectl -n "$NS" get svc shop-active shop-preview -o custom-columns='SERVICE:.metadata.name,SELECTOR:.spec.selector'
}

say "applying examples/blue-green.yaml (3 replicas; preview on 1 pod; smoke test; manual promotion; delays shortened to 10s for the demo)"
sed 's/DelaySeconds: 30/DelaySeconds: 10/' examples/blue-green.yaml | kubectl -n "$NS" apply -f - >/dev/null
watch_until 60 'Healthy*'
services

say "new image registry.example/shop:2.0: the preview comes up beside the active pods, the smoke test runs through shop-preview"
sluice set image shop app=registry.example/shop:2.0
observed
NEW=$(kubectl -n "$NS" get rollout shop -o jsonpath='{.status.currentPodHash}')
watch_until 120 'Paused*'
say "the preview, as kubectl sluice get rollout shows it"
sluice get rollout shop
services

say "a person promotes it (kubectl sluice promote shop): the preview grows to 3 pods, then shop-active switches"
sluice promote shop
watch_until 90 "*active→$NEW*"
echo "at the switch: new pods ready/desired $(pods_of "$NEW" "$(kubectl -n "$NS" get rs -l app=shop -o jsonpath='{range .items[*]}{.metadata.labels.sluice\.dev/pod-template-hash} {.spec.replicas} {.status.readyReplicas}{"\n"}{end}')"), the old ones are still up (others)"
services
say "the old pods stay scaleDownDelaySeconds (10s), then go"
watch_until 90 'Healthy*others: - *'

say "a bad release: the smoke test now fails (a Job image with \"fail\" exits 1 on this cluster), then image 3.0"
kubectl -n "$NS" patch analysistemplate smoke-test --type json \
  -p '[{"op":"replace","path":"/spec/metrics/0/provider/job/spec/template/spec/containers/0/image","value":"registry.example/smoke:fail"}]' >/dev/null
sluice set image shop app=registry.example/shop:3.0
observed
watch_until 120 'Degraded*'
say "shop-active never moved; after abortScaleDownDelaySeconds (10s) the preview is scaled down"
watch_until 60 "Degraded*active→$NEW*preview→$NEW*others: - *"
sluice get rollout shop
say "events"
kubectl -n "$NS" get events --field-selector involvedObject.kind=Rollout --sort-by=.eventTime -o custom-columns=TIME:.lastTimestamp,TYPE:.type,REASON:.reason,MESSAGE:.message
say "done: production stayed on fully available pods throughout"
