#!/usr/bin/env bash
# The controller image's base root file system, made from this machine's packages (no registry):
# a jlink runtime of the build's JDK holding only the modules the controller needs, the shared
# libraries that runtime loads (copied from the Debian packages owning them, with their copyright
# files and dpkg status entries so image scanners can name them), /etc/passwd and /etc/group with
# the unprivileged user 65532, and an empty /tmp.
#
# usage: base-rootfs.sh JAVA_HOME MODULES OUTPUT_TAR
#   MODULES: comma-separated, e.g. java.base,java.net.http
#   OUTPUT_TAR: a one-layer docker-archive, Jib's base image (from tar://OUTPUT_TAR)
# The result is cached under ~/.cache/sluice/image-base/jdk-<version>-<key> (key: this script, the JDK's release
# file, the modules and the libraries' package versions); a warm build only copies it.
set -euo pipefail

java_home=$1 modules=$2 out=$3
cache_root=${SLUICE_CACHE:-$HOME/.cache/sluice}/image-base

[ -d "$java_home/jmods" ] || {
  echo "base-rootfs: $java_home has no jmods/ (jlink needs them; on Debian they come with openjdk-17-jdk-headless)" >&2
  exit 1
}

# The C libraries the runtime's binaries link (ldd resolves them on this machine), and the loader.
runtime_libraries() {
  find "$1" -type f \( -name '*.so' -o -path '*/bin/java' \) -print0 \
    | xargs -0 ldd 2>/dev/null | awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\/.*ld-linux/ {print $1}' \
    | sort -u
}

key_input() {
  sha256sum "$0" | cut -d' ' -f1
  cat "$java_home/release"
  echo "$modules"
  # the packages whose files the base copies (those ldd finds for this JDK, and the CA certificates)
  dpkg-query -W -f '${Package} ${Version}\n'  libc6 zlib1g libstdc++6 libgcc-s1 ca-certificates ca-certificates-java 2>/dev/null || true
}
key=$(key_input | sha256sum | cut -c1-16)
jdk_version=$(sed -n 's/^JAVA_RUNTIME_VERSION="\(.*\)"/\1/p' "$java_home/release")
cached=$cache_root/jdk-${jdk_version:-unknown}-$key

build() {
  local tmp; tmp=$(mktemp -d "$cache_root/.build-XXXXXX") && chmod 755 "$tmp"
  local root=$tmp/rootfs
  mkdir -p "$root"
  echo "base-rootfs: jlink $modules from $java_home" >&2
  "$java_home/bin/jlink" --module-path "$java_home/jmods" --add-modules "$modules" \
    --output "$root/opt/java" --strip-debug --no-man-pages --no-header-files --generate-cds-archive

  # the archive for heaps over 32 GB (no compressed oops) is never used by a controller
  rm -f "$root"/opt/java/lib/server/classes_nocoops.jsa

  # the JDK's cacerts is a link into ca-certificates-java on Debian: the runtime gets a real copy
  local cacerts=$root/opt/java/lib/security/cacerts
  if [ ! -s "$cacerts" ] || [ -L "$cacerts" ]; then
    rm -f "$cacerts"
    cp -L /etc/ssl/certs/java/cacerts "$cacerts"
  fi
  local packages=()
  for lib in $(runtime_libraries "$root/opt/java"); do
    case $lib in "$root"/*) continue ;; esac   # the runtime's own libraries
    local real; real=$(readlink -f "$lib")
    # at the path ldd found it: the ELF interpreter's (/lib64/ld-linux-*) is compiled into every binary
    local mode=0644; [[ $(basename "$lib") == ld-linux* ]] && mode=0755
    install -D -m "$mode" "$real" "$root$lib"
    # the package owning the file (under usrmerge dpkg may know it by the /lib or the /usr/lib path)
    local pkg
    pkg=$(dpkg -S "$lib" 2>/dev/null || dpkg -S "$real" 2>/dev/null || dpkg -S "${real#/usr}" 2>/dev/null || true)
    pkg=${pkg%%:*}
    [ -n "$pkg" ] || { echo "base-rootfs: no package owns $lib" >&2; exit 1; }
    packages+=("$pkg")
  done
  packages+=(ca-certificates-java)
  mkdir -p "$root/var/lib/dpkg/status.d"
  for pkg in $(printf '%s\n' "${packages[@]}" | sort -u); do
    dpkg-query -s "$pkg" > "$root/var/lib/dpkg/status.d/$pkg"
    local doc=/usr/share/doc/$pkg/copyright
    [ -f "$doc" ] && install -D -m 0644 "$doc" "$root/usr/share/doc/$pkg/copyright"
  done

  mkdir -p "$root/etc" "$root/tmp"
  printf 'root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/nonexistent:/sbin/nologin\n' > "$root/etc/passwd"
  printf 'root:x:0:\nnonroot:x:65532:\n' > "$root/etc/group"
  # hosts, then DNS: the runtime mounts /etc/hosts and /etc/resolv.conf
  printf 'passwd: files\ngroup: files\nhosts: files dns\n' > "$root/etc/nsswitch.conf"

  chmod 1777 "$root/tmp"

  # a docker-archive (what `docker save` writes) of one layer, for Jib's tar:// base: reproducible
  # (sorted, root-owned, fixed times), so the same inputs give the same layer digest
  local image=$tmp/image
  mkdir -p "$image"
  tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 --format=posix \
      --pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime -C "$root" -cf "$image/layer.tar" .
  local diff_id; diff_id=$(sha256sum "$image/layer.tar" | cut -d' ' -f1)
  printf '{"architecture":"%s","os":"linux","config":{},"rootfs":{"type":"layers","diff_ids":["sha256:%s"]}}' \
    "$(dpkg --print-architecture)" "$diff_id" > "$image/config.json"
  printf '[{"Config":"config.json","RepoTags":["sluice-controller-base:%s"],"Layers":["layer.tar"]}]' \
    "$key" > "$image/manifest.json"
  tar --owner=0 --group=0 --numeric-owner --mtime=@0 -C "$image" -cf "$tmp/base.tar" manifest.json config.json layer.tar
  rm -rf "$image" "$root"
  mv "$tmp" "$cached"
}

mkdir -p "$cache_root"
if [ ! -f "$cached/base.tar" ]; then
  exec 9>"$cache_root/.lock"
  flock 9
  [ -f "$cached/base.tar" ] || { rm -rf "$cached"; build; }
fi
mkdir -p "$(dirname "$out")"
cp "$cached/base.tar" "$out"
echo "base-rootfs: $out from $cached" >&2
