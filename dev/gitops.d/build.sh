#!/usr/bin/env bash
# Builds Flux's source-controller and kustomize-controller from Go modules into a cache keyed by
# version, and copies their CRDs from the same module versions. Sourced by dev/gitops; expects
# FLUX_SOURCE_CONTROLLER_VERSION, FLUX_KUSTOMIZE_CONTROLLER_VERSION, FLUX_PKG_ARTIFACT_VERSION and
# FLUX_CACHE (the cache folder, e.g. ~/.cache/sluice).
set -euo pipefail

# A controller's replace directives (and its `./api` sub-module) are only honoured in the main
# module, so a wrapper module requires the controller and repeats them: local-path replaces become
# the sub-module at the controller's own version, the others are copied as they are.
flux_replaces() { # go.mod-file version
  awk -v ver="$2" '
    function emit(line,   parts) {
      sub(/\/\/.*/, "", line); gsub(/^[ \t]+|[ \t]+$/, "", line)
      if (line == "") return
      split(line, parts, /[ \t]*=>[ \t]*/)
      if (parts[2] ~ /^\.\.?\//) print parts[1] " => " parts[1] " " ver
      else print line
    }
    /^replace[ \t]*\($/ { inblock = 1; next }
    inblock && /^\)/ { inblock = 0; next }
    inblock { emit($0); next }
    /^replace[ \t]/ { line = $0; sub(/^replace[ \t]+/, "", line); emit(line) }
  ' "$1"
}

build_flux_controller() { # name version extra-replace-lines
  local name=$1 version=$2 extra=$3
  local module=github.com/fluxcd/$name dir="$FLUX_BUILD_DIR/$name"
  mkdir -p "$dir"
  local gomod_file
  gomod_file=$(cd "$FLUX_BUILD_DIR" && go mod download -json "$module@$version" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')
  [ -n "$gomod_file" ] || { echo "gitops: error: cannot download $module@$version" >&2; return 1; }
  local go_version
  go_version=$(sed -n 's/^go \([0-9.]*\)$/\1/p' "$gomod_file")
  {
    printf 'module sluice.dev/devtools/flux/%s\ngo %s\nrequire %s %s\nreplace (\n' "$name" "$go_version" "$module" "$version"
    flux_replaces "$gomod_file" "$version"
    [ -z "$extra" ] || printf '%s\n' "$extra"
    printf ')\n'
  } > "$dir/go.mod"
  printf 'package wrapper\n' > "$dir/wrapper.go"
  (cd "$dir" && CGO_ENABLED=0 GOFLAGS=-mod=mod go build -trimpath -ldflags "-s -w" -o "$FLUX_OUT/$name" "$module")
  # the CRDs of the same module version
  local src
  src=$(cd "$FLUX_BUILD_DIR" && go mod download -json "$module@$version" | sed -n 's/.*"Dir": "\(.*\)".*/\1/p')
  mkdir -p "$FLUX_OUT/crds"
  cp "$src"/config/crd/bases/*.yaml "$FLUX_OUT/crds/"
  chmod u+w "$FLUX_OUT/crds/"*.yaml
}

# Builds whatever is missing into $FLUX_CACHE/flux-<source>-<kustomize>; prints nothing but progress
# on stderr. One build at a time: a parallel first use waits for the first.
flux_build() {
  FLUX_BIN=$FLUX_CACHE/flux-sc$FLUX_SOURCE_CONTROLLER_VERSION-kc$FLUX_KUSTOMIZE_CONTROLLER_VERSION
  [ -x "$FLUX_BIN/kustomize-controller" ] && return 0
  mkdir -p "$FLUX_CACHE"
  local lock_fd
  exec {lock_fd}>"$FLUX_BIN.lock"; flock "$lock_fd"
  if [ ! -x "$FLUX_BIN/kustomize-controller" ]; then
    command -v go >/dev/null || { echo "gitops: error: Go is needed to build Flux (see README prerequisites)" >&2; return 1; }
    echo "gitops: building Flux source-controller $FLUX_SOURCE_CONTROLLER_VERSION and kustomize-controller $FLUX_KUSTOMIZE_CONTROLLER_VERSION (first time only; cached in $FLUX_BIN)" >&2
    local start=$SECONDS
    FLUX_BUILD_DIR=$FLUX_CACHE/flux-build; mkdir -p "$FLUX_BUILD_DIR"
    FLUX_OUT=$FLUX_BIN.tmp; rm -rf "$FLUX_OUT"; mkdir -p "$FLUX_OUT"
    # the module proxy refuses the github.com/fluxcd/pkg/artifact version source-controller asks for
    build_flux_controller source-controller "$FLUX_SOURCE_CONTROLLER_VERSION" \
      "github.com/fluxcd/pkg/artifact => github.com/fluxcd/pkg/artifact $FLUX_PKG_ARTIFACT_VERSION"
    build_flux_controller kustomize-controller "$FLUX_KUSTOMIZE_CONTROLLER_VERSION" ""
    rm -rf "$FLUX_BIN"; mv "$FLUX_OUT" "$FLUX_BIN"
    echo "gitops: Flux built in $((SECONDS - start))s" >&2
  fi
  flock -u "$lock_fd"
}
