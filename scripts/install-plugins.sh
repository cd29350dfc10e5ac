#!/usr/bin/env bash
# Copies every built provider plugin into the plugins directory the host watches. Each jar is
# written under a dot-name first and then renamed, so the watcher never sees half a jar.
set -euo pipefail
dest=${1:-data/plugins}
mkdir -p "$dest"
found=0
for jar in plugins/*/target/skillhost-plugin-*.jar; do
  case "$jar" in plugins/api/*) continue ;; esac
  name=$(basename "$jar" | sed -E 's/^skillhost-plugin-//; s/-[0-9][0-9.]*(-SNAPSHOT)?\.jar$/.jar/')
  cp "$jar" "$dest/.$name.tmp"
  mv -f "$dest/.$name.tmp" "$dest/$name"
  echo "plugin $name -> $dest/"
  found=1
done
[ "$found" = 1 ] || { echo "no plugin jars built; run 'make build' first" >&2; exit 1; }
