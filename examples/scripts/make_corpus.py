#!/usr/bin/env python3
"""Builds the sample corpus, examples/src/main/resources/dev/forage/examples/corpus/chunks.jsonl.

Input: two public-domain dictionaries as Debian packages them for dictd (bookworm, main):
  dict-jargon 4.4.7-3.1  The Jargon File 4.4.7 (public domain, see LICENSE-jargon.txt)
  dict-devil  1.0-13.1   Ambrose Bierce, The Devil's Dictionary, 1911 (public domain, see LICENSE-devil.txt)

  apt-get download dict-jargon=4.4.7-3.1 dict-devil=1.0-13.1
  python3 examples/scripts/make_corpus.py dict-jargon_4.4.7-3.1_all.deb dict-devil_1.0-13.1_all.deb

Deterministic: the same two packages give the same bytes. Each entry's text (headword line and
markup dropped, whitespace collapsed) is cut at sentence ends into chunks of at most MAX_WORDS
words (a longer sentence is cut at a word), each chunk prefixed with the entry's headword;
chunks under MIN_WORDS words, repeated chunks and those matching EXCLUDE are left out.
Only the Python standard library and dpkg-deb are needed.
"""
import gzip
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

MAX_WORDS = 90
MIN_WORDS = 5
# Both books are of their time: chunks with these dated racial, ethnic or religious terms are left
# out so that the demo's output stays neutral. The rest is kept as published.
EXCLUDE = re.compile(r"\b(nigger|negro|chinaman|jews?|squaw|redskin|savages?|heathen|darky|coon)\b", re.IGNORECASE)
B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
OUT = Path(__file__).resolve().parent.parent / "src/main/resources/dev/forage/examples/corpus/chunks.jsonl"


def b64(s):
    n = 0
    for c in s:
        n = n * 64 + B64.index(c)
    return n


def entries(deb, name):
    """(headword, body) for each distinct entry of the dictd database `name` inside `deb`."""
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["dpkg-deb", "-x", deb, tmp], check=True)
        data = gzip.open(f"{tmp}/usr/share/dictd/{name}.dict.dz").read()
        index = Path(f"{tmp}/usr/share/dictd/{name}.index").read_text(encoding="utf-8").splitlines()
    seen = set()
    for line in index:
        head, offset, length = line.split("\t")
        if head.startswith("00-database") or (offset, length) in seen:
            continue
        seen.add((offset, length))
        start = b64(offset)
        yield data[start:start + b64(length)].decode("utf-8")


def clean(text):
    text = re.sub(r"[{}]", "", text)  # the Jargon File's cross-reference braces
    text = re.sub(r"\s+", " ", text)
    return text.strip()


def jargon(raw):
    lines = raw.split("\n")
    title = lines[0].strip()
    # Line 2 is the pronunciation and part of speech ("/dev·nuhl/, n."); the definition follows.
    return title, clean(" ".join(lines[2:]))


def devil(raw):
    body = clean(raw)
    title = re.split(r",| ", body, maxsplit=1)[0].strip(". ").lower()
    return title, body


def chunks(title, body):
    sentences = re.split(r"(?<=[.!?])\s+", body)
    words = []
    out = []
    for sentence in sentences:
        s = sentence.split()
        if words and len(words) + len(s) > MAX_WORDS:
            out.append(words)
            words = []
        words.extend(s)
        while len(words) > MAX_WORDS:
            out.append(words[:MAX_WORDS])
            words = words[MAX_WORDS:]
    if words:
        out.append(words)
    for w in out:
        if len(w) >= MIN_WORDS:
            yield f"{title}: {' '.join(w)}"


def main(jargon_deb, devil_deb):
    rows = []
    seen = set()
    for source, deb, parse in (("jargon", jargon_deb, jargon), ("devil", devil_deb, devil)):
        n = 0
        for raw in entries(deb, source):
            title, body = parse(raw)
            for text in chunks(title, body):
                if EXCLUDE.search(text) or text in seen:
                    continue
                seen.add(text)
                n += 1
                rows.append({"id": f"{source}-{n:05d}", "source": source, "text": text})
    with OUT.open("w", encoding="utf-8", newline="\n") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"{len(rows)} chunks, {OUT.stat().st_size} bytes -> {OUT}")


if __name__ == "__main__":
    main(*sys.argv[1:3])
