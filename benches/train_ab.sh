#!/usr/bin/env bash
# Training time of two propscan binaries on the same file, in interleaved rounds, so that both see the same
# machine (this one is shared: the same command varies by tens of percent from run to run).
#   bash benches/train_ab.sh OLD_BINARY [NEW_BINARY]
# NEW_BINARY defaults to this checkout's release build. INPUT (default: the 16k-row NLP4IF training file),
# ROUNDS (default 5) and TRAIN_ARGS (extra options, for example "--cv-folds 0") change the run. Prints every
# round, each binary's fastest wall and user time, the ratio old / new, and whether the two models are the same
# bytes.
source "$(dirname "$0")/setup.sh"
OLD=${1:?usage: bash benches/train_ab.sh OLD_BINARY [NEW_BINARY]}
NEW=${2:-$BIN}
INPUT=${INPUT:-$DATA/nlp4if2019_slc_train.csv}
ROUNDS=${ROUNDS:-5}
TRAIN_ARGS=${TRAIN_ARGS:-}
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "input: $INPUT; options: --positive propaganda $TRAIN_ARGS; $ROUNDS rounds"
for round in $(seq 1 "$ROUNDS"); do
  for which in old new; do
    if [ "$which" = old ]; then bin=$OLD; else bin=$NEW; fi
    # shellcheck disable=SC2086
    /usr/bin/time -f "%e %U %M" -o "$TMP/time" "$bin" train --input "$INPUT" --positive propaganda \
      --output "$TMP/$which.model" --quiet $TRAIN_ARGS
    read -r wall user kb < "$TMP/time"
    echo "round $round $which: $wall s wall, $user s user, peak $((kb / 1024)) MB"
    echo "$which $wall $user" >> "$TMP/times"
  done
done
awk '{ if (!($1 in w) || $2 < w[$1]) w[$1] = $2; if (!($1 in u) || $3 < u[$1]) u[$1] = $3 }
     END { printf "fastest: old %.2f s wall, %.2f s user; new %.2f s wall, %.2f s user; old / new: %.2fx wall, %.2fx user\n",
           w["old"], u["old"], w["new"], u["new"], w["old"] / w["new"], u["old"] / u["new"] }' "$TMP/times"
if cmp -s "$TMP/old.model" "$TMP/new.model"; then echo "models: same bytes"; else echo "models: differ"; fi
