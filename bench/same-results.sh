#!/bin/bash
# Whether this code's outputs are identical to another commit's: results.json, tables/ and
# report.html of the demo study and of a generated study (shape options as for `npm run bench`;
# default 100,000 episodes, 500 therapists, 12 sites, sessions shuffled, two extra score columns),
# the demo's quarterly batch (program and sites: results.json, report.html, index.html) and a meta
# run (every file). run_at is fixed by SOURCE_DATE_EPOCH, so the files must match byte for byte. With
# ADDED_ONLY=1 the new results.json may also hold names a later schema version added
# (bench/without-additions.ts lists them); everything else must match.
#   bench/same-results.sh 38284f3 [--episodes 100000 …]
#   ADDED_ONLY=1 bench/same-results.sh 38284f3
set -euo pipefail
commit=${1:?usage: bench/same-results.sh <commit> [shape options]}
shift
shape=("$@")
[ ${#shape[@]} -eq 0 ] && shape=(--episodes 100000 --therapists 500 --sites 12 --order shuffled --extra-scores 2)
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'git -C "$root" worktree remove --force "$work/old" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
git -C "$root" worktree add --detach "$work/old" "$commit" >/dev/null 2>&1
ln -s "$root/node_modules" "$work/old/node_modules"
study=$(cd "$root" && node bin/run-ts.mjs bench/study-dir.ts "${shape[@]}" | tail -1)
export SOURCE_DATE_EPOCH=1767225600
status=0

# Compares the files `pattern` names (a find expression) under two output folders.
same() {
  local name=$1
  shift
  if diff <(cd "$work/old-$name" && find . -type f "$@" | sort | xargs sha256sum) <(cd "$work/new-$name" && find . -type f "$@" | sort | xargs sha256sum) >/dev/null; then
    echo "$name: identical to $commit${ADDED_ONLY:+ (apart from names added since)}"
  else
    echo "$name: DIFFERENT from $commit"; diff -r "$work/old-$name" "$work/new-$name" --brief || true; status=1
  fi
}

for config in "$root/data/demo/study.yaml" "$study/study.yaml"; do
  name=$(basename "$(dirname "$config")")
  for side in old new; do
    code=$root; [ $side = old ] && code=$work/old
    (cd "$code" && node bin/alliance.mjs run --config "$config" --out "$work/$side-$name" --no-pdf >/dev/null 2>&1)
  done
  if [ "${ADDED_ONLY:-}" = 1 ]; then
    for side in old new; do (cd "$root" && node bin/run-ts.mjs bench/without-additions.ts "$work/$side-$name/results.json"); done
  fi
  same "$name" \( -name results.json -o -path './tables/*' -o -name report.html \)
done

for side in old new; do
  code=$root; [ $side = old ] && code=$work/old
  (cd "$code" && node bin/alliance.mjs report --config "$root/data/demo/study.yaml" --period latest --by site --out "$work/$side-quarterly" --no-pdf >/dev/null 2>&1)
  (cd "$code" && node bin/alliance.mjs meta --studies "$root/data/meta/molloy2014.csv" --by design --out "$work/$side-meta" --no-pdf >/dev/null 2>&1)
done
same quarterly \( -name results.json -o -name report.html -o -name index.html \)
same meta
exit $status
