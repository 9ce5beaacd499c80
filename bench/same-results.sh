#!/bin/bash
# Whether this code's results.json and tables/ are identical to another commit's, on the demo study
# and on a generated study (shape options as for `npm run bench`; default 100,000 episodes, 500
# therapists, 12 sites, sessions shuffled, two extra score columns). run_at is fixed by
# SOURCE_DATE_EPOCH, so the files must match byte for byte. With ADDED_ONLY=1 the new results.json may
# also hold names a later schema version added (bench/without-additions.ts lists them); everything
# else must match.
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
for config in "$root/data/demo/study.yaml" "$study/study.yaml"; do
  name=$(basename "$(dirname "$config")")
  for side in old new; do
    code=$root; [ $side = old ] && code=$work/old
    (cd "$code" && node bin/alliance.mjs run --config "$config" --out "$work/$side-$name" --no-pdf >/dev/null 2>&1)
  done
  if [ "${ADDED_ONLY:-}" = 1 ]; then
    for side in old new; do (cd "$root" && node bin/run-ts.mjs bench/without-additions.ts "$work/$side-$name/results.json"); done
  fi
  if diff -r <(cd "$work/old-$name" && sha256sum results.json tables/*) <(cd "$work/new-$name" && sha256sum results.json tables/*) >/dev/null; then
    echo "$name: results.json and tables/ identical to $commit${ADDED_ONLY:+ (apart from names added since)}"
  else
    echo "$name: DIFFERENT from $commit"; diff -r "$work/old-$name" "$work/new-$name" --brief || true; status=1
  fi
done
exit $status
