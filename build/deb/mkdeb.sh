#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Turn a `make install DESTDIR=<root> PREFIX=/usr` tree into qvmloader_<version>_all.deb with
# dpkg-deb, then run lintian on it (any tag fails the build). Usage: mkdeb.sh ROOT DEB VERSION
set -euo pipefail

root=$1 deb=$2 version=$3
here=$(cd "$(dirname "$0")" && pwd)

changelog_version=$(dpkg-parsechangelog -l "$here/changelog" -S Version)
if [ "$changelog_version" != "$version" ]; then
	echo "deb: build/deb/changelog is at $changelog_version but CONFIG_VERSION is $version:" \
		"add a changelog entry" >&2
	exit 1
fi

doc=$root/usr/share/doc/qvmloader
install -d -m 0755 "$root/DEBIAN" "$doc"
install -m 0644 "$here/copyright" "$doc/copyright"
gzip -9n <"$here/changelog" >"$doc/changelog.gz"
chmod 0644 "$doc/changelog.gz"
install -D -m 0644 "$here/lintian-overrides" "$root/usr/share/lintian/overrides/qvmloader"

size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
sed -e "s/@VERSION@/$version/" -e "s/@SIZE@/$size/" "$here/control.in" >"$root/DEBIAN/control"
(cd "$root" && find usr -type f -print0 | sort -z | xargs -0 md5sum) >"$root/DEBIAN/md5sums"
chmod 0644 "$root/DEBIAN/control" "$root/DEBIAN/md5sums"

# The changelog's date makes the package reproducible.
SOURCE_DATE_EPOCH=$(dpkg-parsechangelog -l "$here/changelog" -S Timestamp)
export SOURCE_DATE_EPOCH
dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" >/dev/null

# Tags go to stdout; stderr carries only lintian's own notes (e.g. about running as root).
if ! lintian --fail-on error,warning,info --tag-display-limit 0 "$deb" >"$deb.lintian" \
	2>"$deb.lintian-stderr" || [ -s "$deb.lintian" ]; then
	echo "deb: lintian is not clean on $deb:" >&2
	cat "$deb.lintian" "$deb.lintian-stderr" >&2
	exit 1
fi
echo "deb: $deb ($size KiB installed), lintian clean"
