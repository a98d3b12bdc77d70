#!/usr/bin/env python3
"""Builds corpora/isis_tweets.csv from the Fifth Tribe tweets (CC0) and this project's annotations.

    python3 corpora/build/isis_tweets.py [../shared/data/isis-tweets/fifth_tribe_dev.csv]

Labels: the primary annotation (corpora/annotations/fifth_tribe/primary.csv), overridden where the second annotator
disagreed by the adjudicated decision (adjudication.csv). Also prints Cohen's kappa of the two annotators on both
double-labelled samples, so that the README's figures can be re-derived. Standard library only.
"""
import collections
import csv
import hashlib
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
ANN = os.path.join(ROOT, "corpora", "annotations", "fifth_tribe")
SOURCE = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "..", "shared", "data", "isis-tweets", "fifth_tribe_dev.csv")
OUT = os.path.join(ROOT, "corpora", "isis_tweets.csv")
HELDOUT = os.path.join(ROOT, "corpora", "heldout", "isis_tweets.csv")
# Accounts held back from training, for the project's own checks: taken in the order of a salted hash of the
# username until they hold at least this many tweets.
SALT = "propscan-heldout:"
HELDOUT_TWEETS = 1600


def read(name):
    with open(os.path.join(ANN, name), newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def kappa(pairs):
    n = len(pairs)
    po = sum(a == b for a, b in pairs) / n
    ca = collections.Counter(a for a, _ in pairs)
    cb = collections.Counter(b for _, b in pairs)
    pe = sum(ca[k] * cb[k] for k in set(ca) | set(cb)) / (n * n)
    return po, (po - pe) / (1 - pe) if pe < 1 else float("nan")


def main():
    primary = {r["id"]: r for r in read("primary.csv")}
    final = {i: (r["label"], r["kind"]) for i, r in primary.items()}
    for r in read("adjudication.csv"):
        final[r["id"]] = (r["final_label"], r["final_kind"])

    seconds = {1: {r["id"]: r for r in read("second_round1.csv")}, 2: {r["id"]: r for r in read("second_round2.csv")}}
    strata = collections.defaultdict(list)
    for r in read("samples.csv"):
        strata[(int(r["round"]), r["stratum"])].append(r["id"])
    for rnd in (1, 2):
        ids = [i for (k, _), v in strata.items() if k == rnd for i in v]
        for field in ("label", "kind"):
            pairs = [(primary[i][field], seconds[rnd][i][field]) for i in ids]
            po, k = kappa(pairs)
            both = sum(1 for a, b in pairs if a == b == "1") if field == "label" else None
            extra = f", both 1: {both}, one only: {sum(1 for a, b in pairs if a != b)}" if both is not None else ""
            print(f"round {rnd}: {len(ids)} tweets, {field}: agreement {po:.4f}, Cohen's kappa {k:.3f}{extra}")

    with open(SOURCE, newline="", encoding="utf-8") as f:
        tweets = list(csv.DictReader(f))
    missing = [t["id"] for t in tweets if t["id"] not in final]
    if missing:
        sys.exit(f"{len(missing)} tweets have no label, e.g. {missing[:5]}")
    per_account = collections.Counter(t["username"] for t in tweets)
    held, n = set(), 0
    for user in sorted(per_account, key=lambda u: hashlib.sha256((SALT + u).encode()).hexdigest()):
        if n >= HELDOUT_TWEETS:
            break
        held.add(user)
        n += per_account[user]
    for path, keep in ((OUT, lambda u: u not in held), (HELDOUT, lambda u: u in held)):
        rows = [t for t in tweets if keep(t["username"])]
        with open(path, "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(["id", "username", "time", "text", "label", "kind", "lang", "source"])
            for t in rows:
                label, kind = final[t["id"]]
                lang = primary[t["id"]]["lang"]
                w.writerow([f"ft-{t['id']}", t["username"], t["time"], t["text"], label, kind, lang, "real"])
        counts = collections.Counter(final[t["id"]][0] for t in rows)
        accounts = len({t["username"] for t in rows})
        print(f"wrote {path}: {len(rows)} tweets of {accounts} accounts, {counts['1']} labelled 1")


if __name__ == "__main__":
    main()
