#!/usr/bin/env bash
# Prove the README's set-up commands work on a really fresh machine.
#
# Builds a minimal Debian 12 (bookworm) root with `debootstrap --variant=minbase` (cached as a
# tarball, so a second run downloads nothing for it), gives it this machine's registry settings
# (apt sources and apt.conf.d, pip configuration and PIP_* variables, the local folders they name,
# the CA certificates), copies in a clean clone of one commit of this repository, and runs, inside
# the root and from the clone's folder, exactly what the README says:
#
#     bash setup.sh lesson
#     bash setup.sh test
#
# It prints each command's exit code and wall time in a table; the logs stay in the work folder.
# Exit code 0 only when every command run exited 0. Must run as root (debootstrap, chroot, mount).
# Nothing on the host changes outside the work folder, except installing debootstrap when missing.
set -euo pipefail

PROG="$(basename "$0")"
SUITE=bookworm
CHROOT_HOME=/home/user
CLONE_DIR="$CHROOT_HOME/nnviz"

usage() {
  cat <<EOF
usage: $PROG [options]

Run \`bash setup.sh lesson\` and \`bash setup.sh test\` from a clean clone inside a fresh minimal
Debian 12 root (debootstrap --variant=minbase), with this machine's apt/pip/CA settings copied in.

options:
  --commit REF      commit to test (default: HEAD of the repository this script lives in)
  --repo DIR        repository to clone (default: the one this script lives in)
  --workdir DIR     work folder: root, cached tarball, logs (default: \$NNVIZ_FRESH_DIR or
                    /var/tmp/nnviz-fresh)
  --keep            keep the root afterwards for inspection (mounts are still undone); enter it
                    with: chroot DIR/root /bin/bash
  --lesson-only     run only \`bash setup.sh lesson\`
  --test-only       run only \`bash setup.sh test\`
  --mirror URL      Debian mirror for debootstrap (default: the first one in this machine's apt
                    sources, else http://deb.debian.org/debian)
  --refresh         rebuild the cached debootstrap tarball
  --patch FILE      for debugging: \`git apply FILE\` in the clone before running (try a fix to
                    setup.sh without committing it; the summary says the clone was patched)
  -h, --help        this help

Work folder layout: cache/debian-$SUITE-minbase-ARCH.tar.gz (the cached fresh root), root/ (the
root, removed at the end unless --keep), logs/{debootstrap,lesson,test}.log and logs/summary.txt.
EOF
}

die() { echo "$PROG: error: $*" >&2; exit 2; }
say() { echo "== $*"; }

# ---------------------------------------------------------------------------------------------
# options
orig_args=("$@")
script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo=""
commit=HEAD
workdir="${NNVIZ_FRESH_DIR:-/var/tmp/nnviz-fresh}"
keep=0
run_lesson=1
run_test=1
mirror=""
refresh=0
patch=""
while [ $# -gt 0 ]; do
  case "$1" in
    -h|--help) usage; exit 0 ;;
    --keep) keep=1 ;;
    --lesson-only) run_test=0 ;;
    --test-only) run_lesson=0 ;;
    --refresh) refresh=1 ;;
    --commit|--repo|--workdir|--mirror|--patch)
      [ $# -ge 2 ] && [ -n "$2" ] || die "$1 needs a value"
      case "$1" in
        --commit) commit="$2" ;; --repo) repo="$2" ;;
        --workdir) workdir="$2" ;; --mirror) mirror="$2" ;; --patch) patch="$2" ;;
      esac
      shift ;;
    --commit=*) commit="${1#*=}" ;;
    --repo=*) repo="${1#*=}" ;;
    --workdir=*) workdir="${1#*=}" ;;
    --mirror=*) mirror="${1#*=}" ;;
    --patch=*) patch="${1#*=}" ;;
    *) die "unknown option '$1' (see $PROG --help)" ;;
  esac
  shift
done
[ $run_lesson = 1 ] || [ $run_test = 1 ] || die "--lesson-only and --test-only exclude each other"

[ "$(id -u)" = 0 ] || die "must run as root (debootstrap, chroot and mount need it): sudo bash $0${orig_args[*]:+ ${orig_args[*]}}"

command -v git >/dev/null || die "git is needed on this machine to clone the repository"
[ -n "$repo" ] || repo="$(git -C "$script_dir" rev-parse --show-toplevel 2>/dev/null)" \
  || die "$script_dir is not inside a git repository; pass --repo DIR"
repo="$(cd "$repo" && pwd)"
sha="$(git -C "$repo" rev-parse --verify --quiet "$commit^{commit}")" \
  || die "no commit '$commit' in $repo"

if [ -n "$patch" ]; then
  [ -f "$patch" ] || die "no patch file '$patch'"
  patch="$(cd "$(dirname "$patch")" && pwd)/$(basename "$patch")"
fi

# the canonical path: findmnt reports mount points with symlinks resolved
workdir="$(realpath -m -- "$workdir")"
case "$workdir" in *[[:space:]]*) die "the work folder path must not contain spaces: '$workdir'" ;; esac
case "$workdir" in ""|/|/bin|/boot|/dev|/etc|/home|/lib*|/opt|/proc|/root|/run|/sbin|/sys|/tmp|/usr|/usr/*|/var|/var/tmp)
  die "refusing to use '$workdir' as the work folder: give a folder of its own" ;;
esac

if ! command -v debootstrap >/dev/null; then
  say "installing debootstrap on this machine (apt-get install debootstrap)"
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap; } >/dev/null \
    || die "debootstrap is not installed and 'apt-get install debootstrap' failed"
  command -v debootstrap >/dev/null || die "debootstrap is unavailable after installing it"
fi

arch="$(dpkg --print-architecture 2>/dev/null || echo amd64)"
root="$workdir/root"
cache="$workdir/cache/debian-$SUITE-minbase-$arch.tar.gz"
logs="$workdir/logs"
mkdir -p "$workdir/cache" "$logs"

# One run at a time per work folder.
exec 9>"$workdir/.lock"
flock -n 9 || die "another $PROG run is using $workdir"

# ---------------------------------------------------------------------------------------------
# mounts: everything mounted under $root is undone on exit, before anything is removed

mounts_under_root() {  # the mount points under $root, deepest first
  findmnt -rn -o TARGET | awk -v r="$root" 'index($0, r "/") == 1 || $0 == r' | sort -r
}

kill_root_processes() {  # processes this run left behind inside the root (their / is $root)
  local pid pids=() sig
  for sig in TERM KILL; do
    pids=()
    for pid in /proc/[0-9]*; do
      [ "$(readlink "$pid/root" 2>/dev/null)" = "$root" ] && pids+=("${pid#/proc/}")
    done
    [ ${#pids[@]} -gt 0 ] || return 0
    echo "== stopping ${#pids[@]} process(es) left inside the root (SIG$sig): ${pids[*]}" >&2
    kill -s "$sig" "${pids[@]}" 2>/dev/null || true
    sleep 3
  done
}

unmount_all() {
  local m left
  [ -d "$root" ] || return 0
  [ -n "$(mounts_under_root)" ] || return 0
  kill_root_processes
  while read -r m; do
    [ -n "$m" ] || continue
    umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || echo "$PROG: could not unmount $m" >&2
  done < <(mounts_under_root)
  left="$(mounts_under_root)"
  [ -z "$left" ] || { echo "$PROG: still mounted under $root:" >&2; echo "$left" >&2; return 1; }
}

remove_root() {
  [ -e "$root" ] || return 0
  unmount_all || { echo "$PROG: NOT removing $root: it still has mounts" >&2; return 1; }
  [ -z "$(mounts_under_root)" ] || { echo "$PROG: NOT removing $root: it still has mounts" >&2; return 1; }
  rm -rf --one-file-system "$root"
}

on_exit() {
  local status=$?
  trap - EXIT
  set +e
  unmount_all
  if [ -e "$root" ]; then
    if [ $keep = 1 ]; then
      echo "== kept the root: $root (chroot $root /bin/bash)"
    else
      remove_root
    fi
  fi
  rm -f "$cache.partial"
  exit $status
}
trap on_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

bind_ro() {  # bind_ro SRC: SRC appears read-only at the same path inside the root
  local src="$1" dst="$root$1"
  if [ -d "$src" ]; then mkdir -p "$dst"; else mkdir -p "$(dirname "$dst")"; : >"$dst"; fi
  mount --bind -o ro "$src" "$dst"
  case ",$(findmnt -n -o OPTIONS --mountpoint "$dst" | tail -n1)," in
    *,ro,*) ;;
    *) mount -o remount,bind,ro "$dst" ;;
  esac
  mount --make-private "$dst" 2>/dev/null || true
}

# ---------------------------------------------------------------------------------------------
# 1. the fresh root, from the cached tarball or from debootstrap

first_host_mirror() {  # the first Debian archive URI in this machine's apt sources
  local f
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    case "$f" in
      *.sources) awk 'tolower($1) == "uris:" { for (i = 2; i <= NF; i++) print $i }' "$f" ;;
      *) awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i !~ /^\[/ && $i !~ /\]$/ && $i !~ /=/) { print $i; break } }' "$f" ;;
    esac
  done | grep -v -e security -e '^cdrom:' | grep -E '/debian/?$' | head -n1
}

if [ -e "$root" ]; then
  say "removing the root left by an earlier run: $root"
  remove_root || die "could not clean up the old root $root (it still has mounts)"
fi

[ $refresh = 0 ] || rm -f "$cache"
if [ -s "$cache" ]; then
  say "unpacking the cached fresh root $cache"
  mkdir -p "$root"
  tar -xzpf "$cache" --numeric-owner -C "$root"
else
  [ -n "$mirror" ] || mirror="$(first_host_mirror || true)"
  [ -n "$mirror" ] || mirror=http://deb.debian.org/debian
  say "debootstrap --variant=minbase $SUITE from $mirror (log: $logs/debootstrap.log)"
  t0=$(date +%s)
  if ! debootstrap --variant=minbase --arch="$arch" "$SUITE" "$root" "$mirror" >"$logs/debootstrap.log" 2>&1; then
    tail -n 20 "$logs/debootstrap.log" >&2
    die "debootstrap failed (log: $logs/debootstrap.log)"
  fi
  unmount_all  # debootstrap unmounts its own /proc and /sys; be sure
  rm -rf --one-file-system "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*_Packages 2>/dev/null || true
  say "debootstrap took $(( $(date +%s) - t0 ))s; caching the fresh root as $cache"
  tar -czf "$cache.partial" --numeric-owner --one-file-system -C "$root" .
  mv "$cache.partial" "$cache"
fi
if [ -x "$root/usr/bin/python3" ]; then
  echo "$PROG: warning: the fresh root already has python3" >&2
fi

# ---------------------------------------------------------------------------------------------
# 2. this machine's registry settings

say "copying this machine's apt, pip and CA settings into the root"
# apt: the machine's sources replace the root's own (debootstrap's sources.list would duplicate them)
rm -f "$root/etc/apt/sources.list"
[ -f /etc/apt/sources.list ] && cp -L /etc/apt/sources.list "$root/etc/apt/sources.list"
mkdir -p "$root/etc/apt/sources.list.d" "$root/etc/apt/apt.conf.d"
for f in /etc/apt/sources.list.d/* /etc/apt/apt.conf.d/*; do
  [ -f "$f" ] && cp -L "$f" "$root$f"
done
# keyrings named by Signed-By: / [signed-by=...]
for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
  [ -f "$f" ] || continue
  { grep -hioE '^Signed-By:[[:space:]]*/[^[:space:]]+' "$f" | sed -E 's/^[^:]*:[[:space:]]*//'
    grep -hioE 'signed-by=/[^] ,]+' "$f" | sed 's/^[^=]*=//'; } || true
done | sort -u | while read -r key; do
  if [ -f "$key" ]; then mkdir -p "$(dirname "$root$key")"; cp -L "$key" "$root$key"; fi
done

# DNS. debootstrap leaves no /etc/hosts, which every installed Debian has (the installer writes
# it): without it "localhost" does not resolve and local servers (chromedriver) are unreachable.
cp -L /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true
if [ ! -e "$root/etc/hosts" ]; then
  printf '127.0.0.1\tlocalhost\n::1\t\tlocalhost ip6-localhost ip6-loopback\n' > "$root/etc/hosts"
fi

# CA certificates (TLS may be inspected): the bundle and hashed certs, and the local CAs so that
# update-ca-certificates, if a package runs it inside the root, keeps them
mkdir -p "$root/etc/ssl/certs"
[ -d /etc/ssl/certs ] && cp -rL /etc/ssl/certs/. "$root/etc/ssl/certs/"
if [ -d /usr/local/share/ca-certificates ]; then
  mkdir -p "$root/usr/local/share/ca-certificates"
  cp -rL /usr/local/share/ca-certificates/. "$root/usr/local/share/ca-certificates/"
fi

# pip configuration files; inside the root the commands run as root, so the user files go to /root
pip_confs=()
copy_pip_conf() {  # copy_pip_conf HOST_FILE ROOT_PATH
  [ -f "$1" ] || return 0
  mkdir -p "$(dirname "$root$2")"
  cp -L "$1" "$root$2"
  pip_confs+=("$1")
}
copy_pip_conf /etc/pip.conf /etc/pip.conf
if [ -d /etc/xdg/pip ]; then
  mkdir -p "$root/etc/xdg/pip"; cp -rL /etc/xdg/pip/. "$root/etc/xdg/pip/"
  [ -f /etc/xdg/pip/pip.conf ] && pip_confs+=(/etc/xdg/pip/pip.conf)
fi
home="${HOME:-/root}"
copy_pip_conf "$home/.config/pip/pip.conf" /root/.config/pip/pip.conf
copy_pip_conf "$home/.pip/pip.conf" /root/.pip/pip.conf

# PIP_* variables, and the CA / proxy variables pip, requests and curl read, go into the root
pass_env=()
while IFS='=' read -r name _; do
  case "$name" in
    PIP_*|SSL_CERT_FILE|SSL_CERT_DIR|REQUESTS_CA_BUNDLE|CURL_CA_BUNDLE|HTTPLIB2_CA_CERTS|\
    http_proxy|https_proxy|no_proxy|HTTP_PROXY|HTTPS_PROXY|NO_PROXY|all_proxy|ALL_PROXY)
      pass_env+=("$name=${!name}") ;;
  esac
done < <(env)

# Local folders the pip settings name are bind-mounted read-only at the same path.
local_paths() {
  local f v
  for f in "${pip_confs[@]}"; do
    # every value of every key, continuation lines included
    sed -E -e 's/^[[:space:]]*[A-Za-z0-9_-]+[[:space:]]*[=:]//' -e '/^[[:space:]]*[#;[]/d' "$f"
  done | tr -s ' \t' '\n\n'
  for v in "${pass_env[@]}"; do
    case "$v" in PIP_*) echo "${v#*=}" | tr -s ' \t' '\n\n' ;; esac
  done
}
declare -A bound=()
while read -r tok; do
  case "$tok" in file://*) tok="${tok#file://}" ;; /*) ;; *) continue ;; esac
  tok="${tok%/}"
  [ -e "$tok" ] || continue
  if [ -d "$tok" ]; then
    # a PEP 503 index links ../../files/...: mount the folder holding simple/
    case "$tok" in */simple) tok="${tok%/simple}" ;; esac
    dir="$tok"
  else
    dir="$(dirname "$tok")"
  fi
  case "$dir" in
    /etc/ssl/certs) continue ;;  # copied above, writable for update-ca-certificates
    /|/etc|/etc/*|/usr|/usr/local|/var|/root|/home|/tmp|/var/tmp)
      # a file in a system folder: copy just the file
      if [ -f "$tok" ]; then mkdir -p "$(dirname "$root$tok")"; cp -L "$tok" "$root$tok"; fi
      continue ;;
  esac
  [ -z "${bound[$dir]:-}" ] || continue
  bound[$dir]=1
done < <(local_paths)

# ---------------------------------------------------------------------------------------------
# 3. the clean clone and the chroot's mounts

say "cloning $repo at $sha into the root ($CLONE_DIR)"
mkdir -p "$root$CHROOT_HOME"
git clone -q --no-hardlinks --no-checkout "$repo" "$root$CLONE_DIR"
if ! git -C "$root$CLONE_DIR" cat-file -e "$sha^{commit}" 2>/dev/null; then
  git -C "$root$CLONE_DIR" fetch -q "$repo" "$sha" || die "could not fetch $sha from $repo"
fi
git -C "$root$CLONE_DIR" checkout -q --detach "$sha"
if [ -n "$patch" ]; then
  say "patching the clone with $patch (debugging: not the commit as committed)"
  git -C "$root$CLONE_DIR" apply "$patch" || die "the patch $patch does not apply to $sha"
fi

say "mounting /proc /sys /dev /dev/pts /dev/shm in the root"
mount -t proc proc "$root/proc"
mount -t sysfs sysfs "$root/sys"
mount --bind /dev "$root/dev"
mount --make-private "$root/dev" 2>/dev/null || true
mkdir -p "$root/dev/pts" "$root/dev/shm"
mount --bind /dev/pts "$root/dev/pts"
mount --make-private "$root/dev/pts" 2>/dev/null || true
mount -t tmpfs -o mode=1777,nosuid,nodev shm "$root/dev/shm"
for dir in "${!bound[@]}"; do
  say "bind-mounting $dir read-only (named by the pip settings)"
  bind_ro "$dir"
done

# ---------------------------------------------------------------------------------------------
# 4. the README's commands

names=()
codes=()
walls=()
fmt_time() { printf '%dm%02ds' $(( $1 / 60 )) $(( $1 % 60 )); }

run_in_root() {  # run_in_root JOB: `bash setup.sh JOB` from the clone's folder, as the README says
  local job="$1" log="$logs/$1.log" t0 t1 status
  say "bash setup.sh $job (inside the root; log: $log)"
  t0=$(date +%s)
  set +e
  # in the background with `wait`, so that a signal to this script is handled at once
  (
    chroot "$root" /usr/bin/env -i \
      HOME=/root USER=root LOGNAME=root SHELL=/bin/bash TERM=dumb LANG=C.UTF-8 \
      PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
      "${pass_env[@]}" \
      /bin/bash -c 'cd "$1" && exec bash setup.sh "$2"' _ "$CLONE_DIR" "$job" \
      </dev/null 2>&1 | tee "$log"
    exit "${PIPESTATUS[0]}"
  ) &
  wait $!
  status=$?
  set -e
  t1=$(date +%s)
  names+=("bash setup.sh $job")
  codes+=("$status")
  walls+=("$(fmt_time $(( t1 - t0 )))")
  say "bash setup.sh $job: exit $status after $(fmt_time $(( t1 - t0 )))"
  return 0
}

[ $run_lesson = 0 ] || run_in_root lesson
[ $run_test = 0 ] || run_in_root test

overall=0
for c in "${codes[@]}"; do [ "$c" = 0 ] || overall=1; done
{
  echo
  echo "fresh Debian 12 minbase root, commit $sha ($(git -C "$repo" log -1 --format=%s "$sha" | cut -c1-60))"
  [ -z "$patch" ] || echo "clone PATCHED with $patch"
  printf '%-20s %5s %9s  %s\n' command exit wall log
  for i in "${!names[@]}"; do
    printf '%-20s %5s %9s  %s\n' "${names[$i]}" "${codes[$i]}" "${walls[$i]}" "$logs/${names[$i]##* }.log"
  done
  echo "cached fresh root: $cache ($(du -h "$cache" | cut -f1))"
} | tee "$logs/summary.txt"
exit $overall
