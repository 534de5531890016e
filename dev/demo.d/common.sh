# Shared by dev/demo and the demos in dev/demo.d (sourced, not run). The caller sets ROOT, NS and
# LOG_DIR, and defines progress_line (one line each time something a person would notice changes).
kubectl() { "$ROOT/dev/cluster" kubectl "$@"; }
say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

# Rollouts carry Sluice's finalizer (deleting one gives back Service selectors first): without a
# controller to release it, take it off, the documented way out, so the namespace can go
release_rollouts() {
  local r
  for r in $(kubectl -n "$NS" get rollouts.sluice.dev -o name 2>/dev/null); do
    kubectl -n "$NS" patch "$r" --type merge -p '{"metadata":{"finalizers":null}}' >/dev/null 2>&1 || true
  done
}

# Applies Sluice's CRDs and waits until each is Established. A CRD just created has no conditions
# at all for a moment, and `kubectl wait --for condition=...` fails on that instead of waiting, so
# ask for the condition's status until it is True.
install_crds() {
  local crd deadline
  kubectl apply --server-side --force-conflicts -k crds/ >/dev/null
  for crd in rollouts analysisruns analysistemplates clusteranalysistemplates; do
    deadline=$((SECONDS + 60))
    until [ "$(kubectl get crd "$crd.sluice.dev" -o jsonpath='{.status.conditions[?(@.type=="Established")].status}' 2>/dev/null)" = True ]; do
      [ $SECONDS -lt $deadline ] || { echo "demo: CRD $crd.sluice.dev not Established after 60s" >&2; exit 1; }
      sleep 0.2
    done
  done
}

# A fresh $NS: what a previous run left is released and deleted first.
fresh_namespace() {
  release_rollouts
  kubectl delete namespace "$NS" --ignore-not-found --wait=true --timeout=120s >/dev/null
  kubectl create namespace "$NS" >/dev/null
}

# Runs the packaged controller for $NS in the background; its pid in controller_pid.
start_controller() {
  say "starting the controller (log: $LOG_DIR/controller.log)"
  java @controller/src/main/jib/app/jvm.options -jar controller/target/sluice-controller.jar --kubeconfig "$(dev/cluster kubeconfig)" --namespace "$NS" \
    --health-address 127.0.0.1 --health-port 0 > "$LOG_DIR/controller.log" 2>&1 &
  controller_pid=$!
}

# Deletes $NS while the controller still runs (so it lets go of its Rollouts itself), stops the
# controller, and the cluster if this demo started it.
stop_demo() {
  local deadline=$((SECONDS + 30))
  kubectl delete namespace "$NS" --wait=false >/dev/null 2>&1 || true
  while [ -n "${controller_pid:-}" ] && [ -n "$(kubectl -n "$NS" get rollouts.sluice.dev -o name 2>/dev/null)" ] \
      && [ $SECONDS -lt $deadline ]; do sleep 0.5; done
  [ -n "${controller_pid:-}" ] && kill "$controller_pid" 2>/dev/null && wait "$controller_pid" 2>/dev/null || true
  release_rollouts
  if $started_cluster; then dev/cluster down; fi
}

watch_until() { # timeout-seconds glob: print each change until the progress line matches
  local timeout=$1 pattern=$2 last="" line deadline=$((SECONDS + $1))
  while [ $SECONDS -lt $deadline ]; do
    line=$(progress_line)
    if [ "$line" != "$last" ]; then printf '%s  %s\n' "$(date +%T)" "$line"; last=$line; fi
    # shellcheck disable=SC2053
    [[ "$line" == $pattern ]] && return 0
    sleep "${WATCH_INTERVAL:-0.25}"
  done
  echo "demo: gave up after ${timeout}s waiting for: $pattern" >&2
  return 1
}
