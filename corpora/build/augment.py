#!/usr/bin/env python3
"""Builds corpora/augmented.csv: written calls to action set inside real posts, so that a call counts wherever it
stands, among links, mentions, retweets and news of the register it is posted in; and, as many, written texts
that are not calls (harmless calls to action of sport, work, charity, games and politics, news, religious life)
set inside the same kind of posts, so that the surrounding post itself never tells the label.

    python3 corpora/build/augment.py

Each augmented post is one short call to action from corpora/corpus.csv (label 1, at most 25 words) and one
context post of the same language that is not a call, joined by a space or a line break, call first or last:
- English and Arabic jihadist calls take a real tweet of the Fifth Tribe accounts in corpora/isis_tweets.csv
  (news, praise, opinion, religious, media, chatter, prayer, boasts, insults; the held-out accounts are not in
  that file);
- Russian and Tajik calls, and far-right calls, take a written negative of corpora/corpus.csv of the same
  language and movement (news, chatter, religious life, politics, hate without a call).
An augmented post takes the label and kind of its written part. Its `username` is the written text's
(`written:<id>`), so that cross-validation keeps it in one fold with the text it was made from. Seeded: the same
inputs give the same file.
Standard library only.
"""
import csv
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))
CORPORA = os.path.dirname(HERE)
PER_LANGUAGE = {("en", "jihadist"): 420, ("ar", "jihadist"): 160, ("ru", "jihadist"): 80, ("tg", "jihadist"): 80,
                ("en", "far_right"): 0, ("ru", "far_right"): 0}
TWEET_KINDS = {"news", "praise", "opinion", "religious", "media", "chatter", "prayer", "threat_boast", "insult"}
WRITTEN_KINDS = {"news", "chatter", "religious_life", "politics", "hate_no_call", "sports", "prayer", "media"}
# Written negatives set inside posts: what looks most like a call without being one.
NEGATIVE_KINDS = {"sports", "job_ad", "games", "politics", "benign_cta", "religious_life", "news", "prayer", "chatter"}


def read(name):
    with open(os.path.join(CORPORA, name), newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def main():
    rng = random.Random(20261202)
    written = read("corpus.csv")
    tweets = read("isis_tweets.csv")
    out = []
    for (lang, movement), count in PER_LANGUAGE.items():
        calls = [r for r in written if r["label"] == "1" and r["lang"] == lang and r["movement"] == movement
                 and len(r["text"].split()) <= 25]
        others = [r for r in written if r["label"] == "0" and r["lang"] == lang and r["kind"] in NEGATIVE_KINDS
                  and len(r["text"].split()) <= 25]
        if lang in ("en", "ar") and movement == "jihadist":
            contexts = [t["text"] for t in tweets if t["label"] == "0" and t["lang"] == lang and t["kind"] in TWEET_KINDS]
        else:
            contexts = [r["text"] for r in written if r["label"] == "0" and r["lang"] == lang
                        and r["movement"] == movement and r["kind"] in WRITTEN_KINDS]
        for pool in (calls, others):
            for _ in range(count):
                part = rng.choice(pool)
                context = rng.choice(contexts)
                sep = rng.choice([" ", "\n"])
                text = f"{part['text']}{sep}{context}" if rng.random() < 0.5 else f"{context}{sep}{part['text']}"
                out.append({"id": f"aug-{len(out) + 1:05d}", "username": part["username"], "text": text,
                            "label": part["label"], "kind": part["kind"], "lang": lang, "source": "augmented",
                            "movement": movement})
    path = os.path.join(CORPORA, "augmented.csv")
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=["id", "username", "text", "label", "kind", "lang", "source", "movement"],
                           lineterminator="\n")
        w.writeheader()
        w.writerows(out)
    calls = sum(1 for r in out if r["label"] == "1")
    print(f"wrote {path}: {calls} augmented calls and {len(out) - calls} augmented texts that are not calls")


if __name__ == "__main__":
    main()
