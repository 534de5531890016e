#!/usr/bin/env bash
# `dev/demo gitops`: the GitOps story with a real Flux. A Git repository (served on 127.0.0.1)
# holds two Services and a canary Rollout; Flux syncs it with `wait: true`. A good commit is walked
# through the steps and Flux turns Ready once the Rollout is Healthy; a bad commit is aborted and
# Flux reports the health check failed; a revert is Healthy at once; a hand edit is put back by
# Flux. Leaves no process behind (and stops the cluster and Flux if it started them).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
NS=sluice-gitops-demo
LOG_DIR=$ROOT/target/demo-gitops; mkdir -p "$LOG_DIR"
# shellcheck source=common.sh
. "$ROOT/dev/demo.d/common.sh"
WATCH_INTERVAL=0.5

dev/prereqs test
if [ "${SLUICE_DEMO_SKIP_BUILD:-}" = 1 ] && [ -f controller/target/sluice-controller.jar ]; then
  say "using the controller jar already built (SLUICE_DEMO_SKIP_BUILD=1)"
else
  say "building Sluice (mvn package)"
  mvn -B -q -DskipTests package -pl controller -am
fi

started_cluster=false
if ! dev/cluster status >/dev/null 2>&1; then started_cluster=true; fi
say "starting the local control plane and Flux (dev/cluster up; dev/gitops up: the first run builds them from Go modules)"
dev/cluster up
dev/gitops up

controller_pid=
REPO=$(dev/gitops repos)/$NS.git
WORK=$LOG_DIR/work
cleanup() {
  [ -n "$controller_pid" ] && kill "$controller_pid" 2>/dev/null && wait "$controller_pid" 2>/dev/null || true
  release_rollouts
  kubectl delete namespace "$NS" --wait=false >/dev/null 2>&1 || true
  rm -rf "$REPO" "$WORK"
  if $started_cluster; then dev/cluster down; fi
}
trap cleanup EXIT

install_crds
fresh_namespace
start_controller

git_() { git -C "$WORK" -c user.name="Sluice demo" -c user.email=demo@sluice.dev -c commit.gpgsign=false "$@"; }
rm -rf "$REPO" "$WORK"
git init -q --bare --initial-branch=main "$REPO"
git init -q --initial-branch=main "$WORK"
git_ remote add origin "$REPO"
mkdir -p "$WORK/app"
cat > "$WORK/app/kustomization.yaml" <<'YAML'
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources: [services.yaml, rollout.yaml]
YAML
cat > "$WORK/app/services.yaml" <<'YAML'
apiVersion: v1
kind: Service
metadata: {name: shop-stable}
spec: {selector: {app: shop}, ports: [{port: 80, targetPort: 8080}]}
---
apiVersion: v1
kind: Service
metadata: {name: shop-canary}
spec: {selector: {app: shop}, ports: [{port: 80, targetPort: 8080}]}
YAML
rollout_yaml() {
  cat <<YAML
apiVersion: sluice.dev/v1alpha1
kind: Rollout
metadata: {name: shop}
spec:
  replicas: 4
  progressDeadlineSeconds: 20
  progressDeadlineAbort: true
  selector: {matchLabels: {app: shop}}
  template:
    metadata: {labels: {app: shop}}
    spec:
      containers:
      - {name: app, image: 'registry.example/shop:$1'}
  strategy:
    canary:
      canaryService: shop-canary
      stableService: shop-stable
      steps:
      - setWeight: 25
      - pause: {duration: 5s}
      - setWeight: 75
      - pause: {duration: 5s}
YAML
}
commit() { # tag message
  rollout_yaml "$1" > "$WORK/app/rollout.yaml"
  git_ add --all && git_ commit -q -m "$2" && git_ push -q origin main
  say "commit $(git_ rev-parse --short HEAD) \"$2\""
}

# one line each time something a person would notice changes
progress_line() {
  local ks ro
  ks=$(kubectl -n "$NS" get kustomization shop -o jsonpath='{.status.lastAppliedRevision}|{.status.conditions[?(@.type=="Ready")].status}|{.status.conditions[?(@.type=="Ready")].reason}' 2>/dev/null) || ks='||'
  ro=$(kubectl -n "$NS" get rollout shop -o jsonpath='{.spec.template.spec.containers[0].image}|{.status.phase}|{.status.currentStepIndex}|{.status.canary.weights.canary.weight}|{.status.message}' 2>/dev/null) || ro='||||'
  IFS='|' read -r applied ready reason <<< "$ks"
  IFS='|' read -r image phase step weight message <<< "$ro"
  applied=${applied##*:}
  printf 'flux applied %-7s Ready %-7s %-22s | rollout %-28s %-11s step %s weight %-3s %s\n' \
    "${applied:0:7}" "${ready:--}" "${reason:--}" "${image:--}" "${phase:--}" "${step:--}" "${weight:-0}" "$message"
}


commit 1.0 "shop 1.0"
say "Flux syncs $(dev/gitops git-url)/$NS.git (GitRepository and Kustomization with wait: true)"
kubectl -n "$NS" apply -f - >/dev/null <<YAML
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: shop}
spec: {url: '$(dev/gitops git-url)/$NS.git', ref: {branch: main}, interval: 5s, timeout: 60s}
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: shop}
spec:
  sourceRef: {kind: GitRepository, name: shop}
  path: ./app
  targetNamespace: $NS
  prune: true
  wait: true
  interval: 15s
  retryInterval: 5s
  timeout: 3m
  # Service.spec.selector is an atomic map: without this, the key Sluice pins is drift to Flux
  ignore:
  - paths: ["/spec/selector/sluice.dev~1pod-template-hash"]
    target: {kind: Service}
YAML
watch_until 180 "flux applied $(git_ rev-parse --short=7 HEAD) Ready True*Healthy*"

commit 2.0 "shop 2.0"
say "Flux applies it, Sluice walks the steps; Flux is Ready only once the Rollout is Healthy"
watch_until 240 "flux applied $(git_ rev-parse --short=7 HEAD) Ready True*Healthy*"

commit crashloop "shop crashloop"
bad=$(git_ rev-parse HEAD)
say "a bad release: it never gets Ready; Sluice aborts at the progress deadline (20s), Flux reports the health check failed"
watch_until 240 "*HealthCheckFailed*Degraded*"
echo "Flux: $(kubectl -n "$NS" get kustomization shop -o jsonpath='{.status.conditions[?(@.type=="Ready")].message}')"
echo "services: shop-stable -> $(kubectl -n "$NS" get svc shop-stable -o jsonpath='{.spec.selector}'), shop-canary -> $(kubectl -n "$NS" get svc shop-canary -o jsonpath='{.spec.selector}')"

git_ revert --no-edit "$bad" >/dev/null && git_ push -q origin main
say "commit $(git_ rev-parse --short HEAD) reverts it: Healthy at once on the old template, no steps"
watch_until 240 "flux applied $(git_ rev-parse --short=7 HEAD) Ready True*Healthy*"

say "a person edits the Rollout's image by hand: Sluice starts walking it; at its next interval (15s) Flux puts Git's version back and Sluice follows, leaving no canary"
kubectl -n "$NS" patch rollout shop --type json \
  -p '[{"op":"replace","path":"/spec/template/spec/containers/0/image","value":"registry.example/shop:hotfix"}]' >/dev/null
watch_until 20 "*shop:hotfix*" || true   # Flux may put it back before a look
watch_until 120 "*Ready True*shop:2.0*Healthy*"
kubectl -n "$NS" get rs -l app=shop -o custom-columns=REPLICASET:.metadata.name,IMAGE:.spec.template.spec.containers[0].image,DESIRED:.spec.replicas,READY:.status.readyReplicas
say "done: Git is the truth, Flux follows the Rollout's health, the stable version kept serving throughout"
