#!/usr/bin/env bash
# Builds the local control plane's binaries from Go modules into a cache keyed by version.
# Sourced by dev/cluster; expects K8S_VERSION, ETCD_VERSION, KWOK_VERSION and BIN_DIR.
set -euo pipefail

# A module whose go.mod has replace directives (k8s.io/kubernetes, etcd's server) cannot be
# `go install`ed; a wrapper module that requires it (replaces are only honoured in the main
# module) builds it with ordinary module resolution.
build_in_wrapper() { # name go.mod-text output package...
  local name=$1 gomod=$2 output=$3; shift 3
  local dir="$BUILD_DIR/$name"
  mkdir -p "$dir"
  printf '%s\n' "$gomod" > "$dir/go.mod"
  printf 'package wrapper\n' > "$dir/wrapper.go"
  (cd "$dir" && GOFLAGS=-mod=mod go build -trimpath -ldflags "$LDFLAGS" -o "$output" "$@")
}

build_k8s() {
  local minor=${K8S_VERSION#v1.}; minor=${minor%%.*}
  local staging="v0.${K8S_VERSION#v1.}"
  local gomod_file
  gomod_file=$(cd "$BUILD_DIR" && go mod download -json "k8s.io/kubernetes@$K8S_VERSION" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')
  local replaces
  replaces=$(sed -n 's#^\s*\(k8s.io/[a-z0-9-]*\) => ./staging/.*#\1 => \1 '"$staging"'#p' "$gomod_file")
  local gomod="module sluice.dev/devcluster/k8s
go 1.24.0
require k8s.io/kubernetes $K8S_VERSION
replace (
$replaces
)"
  local vpkg=k8s.io/component-base/version
  LDFLAGS="-s -w -X $vpkg.gitVersion=$K8S_VERSION -X $vpkg.gitMajor=1 -X $vpkg.gitMinor=$minor -X $vpkg.gitTreeState=clean -X $vpkg.buildDate=1970-01-01T00:00:00Z" \
    build_in_wrapper k8s "$gomod" "$out/" \
      k8s.io/kubernetes/cmd/kube-apiserver \
      k8s.io/kubernetes/cmd/kube-controller-manager \
      k8s.io/kubernetes/cmd/kube-scheduler \
      k8s.io/kubernetes/cmd/kubectl
}

build_etcd() {
  local gomod="module sluice.dev/devcluster/etcd
go 1.23
require go.etcd.io/etcd/server/v3 $ETCD_VERSION"
  LDFLAGS="-s -w" build_in_wrapper etcd "$gomod" "$out/etcd" go.etcd.io/etcd/server/v3
}

build_kwok() {
  (cd "$BUILD_DIR" && GOBIN="$out" go install -trimpath -ldflags "-s -w -X sigs.k8s.io/kwok/pkg/consts.Version=$KWOK_VERSION" "sigs.k8s.io/kwok/cmd/kwok@$KWOK_VERSION")
}

# Builds whatever is missing; each component lands in its own versioned folder atomically.
build_all() {
  BUILD_DIR="$CACHE_DIR/build"; mkdir -p "$BUILD_DIR"
  # one build at a time per cache: a second `up` (another state directory, a parallel test run)
  # waits for the first instead of building into the same directory
  exec {lock_fd}>"$CACHE_DIR/.build.lock"; flock "$lock_fd"
  local comp ver
  for comp in k8s etcd kwok; do
    case $comp in k8s) ver=$K8S_VERSION;; etcd) ver=$ETCD_VERSION;; kwok) ver=$KWOK_VERSION;; esac
    local final="$CACHE_DIR/$comp-$ver"
    [ -d "$final" ] && continue
    echo "building $comp $ver (first time only; cached in $final)" >&2
    out="$final.tmp"; rm -rf "$out"; mkdir -p "$out"
    "build_$comp"
    mv "$out" "$final"
  done
  flock -u "$lock_fd"
}
