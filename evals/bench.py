"""`python -m evals bench`: speed, memory, load and scale, side by side in one run.

Each measurement sits next to its floor or baseline measured in the same process and run, so the ratios
hold on a noisy machine: ingest vs bare model.encode of the same texts, query vs one bare query
embedding, ours vs the tutorial pipeline on the same questions with the same model, the REST API's
server CPU per request vs the chain's own (evals/bench_api.py).
"""

from __future__ import annotations

import json
import os
import platform
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import numpy as np

from assistant.answer.chain import Assistant
from assistant.answer.contract import to_contract
from assistant.config import Settings, get_settings
from assistant.index.embedder import Embedder, bundled_model_path
from assistant.index.factory import make_embedder
from assistant.index.store import chunk_metadata, make_store
from assistant.ingest.pipeline import make_manifest, run_ingest
from assistant.types import Chunk

from .bench_api import bench_load_api
from .metrics import evaluate, summarise
from .questions import load_questions

ROOT = Path(__file__).resolve().parents[1]
QUESTIONS = [ROOT / "evals/questions/dev.jsonl", ROOT / "evals/questions/test.jsonl"]
LONG_MESSAGES = [ROOT / "evals/questions/realistic/train.jsonl", ROOT / "evals/questions/realistic/dev.jsonl"]


def _p(values: list[float], q: float) -> float:
    return round(float(np.percentile(values, q)), 2) if values else 0.0


def _settings(data_dir: Path, **extra: Any) -> Settings:
    return get_settings().model_copy(update={"data_dir": data_dir, "corpus_dir": ROOT / "corpus", **extra})


def bench_ingest(embedder: Embedder, work: Path, copies: int) -> dict[str, Any]:
    """Whole pipeline (load, chunk, embed, write) vs bare encode of exactly the texts it embeds."""
    corpus = work / "bench-corpus"
    corpus.mkdir(parents=True)
    article = (ROOT / "corpus" / "muscle-imbalance-and-knee-pain.md").read_text()
    for i in range(copies):  # distinct sources, so distinct chunk ids: every copy is embedded
        (corpus / f"copy-{i:03d}.md").write_text(
            article.replace("# Muscle Imbalance", f"# Copy {i}: Muscle Imbalance", 1)
        )
    settings = _settings(work / "ingest-data", corpus_dir=corpus)
    embedder.encode(["warm up"])
    started = time.perf_counter()
    report = run_ingest(settings, embedder=embedder)
    seconds = time.perf_counter() - started
    from assistant.ingest.chunking import chunk_document
    from assistant.ingest.loaders import discover, load

    texts: list[str] = []
    for path in discover(corpus)[0]:
        for c in chunk_document(
            load(path, source=path.name, max_bytes=10**8), max_chars=settings.chunk_chars
        ):
            texts += [c.embed_text, *c.units]
    started = time.perf_counter()
    embedder.encode(texts, batch_size=settings.embed_batch_size)
    bare = time.perf_counter() - started
    return {
        "chunks": report.chunks,
        "texts_embedded": len(texts),
        "seconds": round(seconds, 3),
        "chunks_per_s": round(report.chunks / seconds, 1),
        "raw_encode_seconds": round(bare, 3),
        "raw_encode_chunks_per_s": round(report.chunks / bare, 1),
        "overhead_ratio": round(seconds / bare, 3),
    }


def bench_query(bot: Assistant, questions: list[Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Warm end-to-end ask latency vs one bare query embedding, plus quality on the same questions."""
    bot.warm_up()
    rows, latencies, bare = [], [], []
    for q in questions:
        # interleaved: the floor (one bare query embedding) and our ask see the same moment of the machine
        started = time.perf_counter()
        bot.embedder.encode_one(q.question)
        bare.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        answer = bot.ask(q.question, list(q.history))
        latencies.append((time.perf_counter() - started) * 1000)
        rows.append(
            {
                "expect": q.expect,
                "decision": answer.decision,
                "category": q.category,
                "latency_ms": latencies[-1],
            }
            | evaluate(q, to_contract(answer))
        )
    summary = summarise(rows)
    query = {
        "n": len(questions),
        "p50_ms": _p(latencies, 50),
        "p95_ms": _p(latencies, 95),
        "bare_embed_p50_ms": _p(bare, 50),
        "ratio_p50": round(_p(latencies, 50) / max(_p(bare, 50), 1e-6), 2),
    }
    ours = {
        "hit_at_3": summary["hit_at_3"],
        "decision_accuracy": summary["decision_accuracy"],
        "p50_ms": query["p50_ms"],
        "citation_accuracy": summary["citation_accuracy"],
        "refusal_recall": summary["refusal_recall"],
        "escalation_recall": summary["escalation_recall"],
    }
    return query, ours


def bench_query_long(bot: Assistant, paths: list[Path]) -> dict[str, Any]:
    """Warm ask latency on realistic messages of 150-300 words (the train and dev splits; never test)."""
    texts = [q.question for q in load_questions(paths) if 150 <= len(q.question.split()) <= 300]
    latencies = []
    for text in texts:
        started = time.perf_counter()
        bot.ask(text)
        latencies.append((time.perf_counter() - started) * 1000)
    return {"n": len(texts), "p50_ms": _p(latencies, 50), "p95_ms": _p(latencies, 95)}


def bench_baseline(questions: list[Any], work: Path) -> dict[str, Any]:
    """The tutorial pipeline: RecursiveCharacterTextSplitter 1000/200, Chroma k=4, always answers."""
    import chromadb
    from langchain_chroma import Chroma
    from langchain_huggingface import HuggingFaceEmbeddings
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    text = (ROOT / "corpus" / "muscle-imbalance-and-knee-pain.md").read_text()
    docs = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200).create_documents([text])
    embeddings = HuggingFaceEmbeddings(model_name=bundled_model_path())
    client = chromadb.PersistentClient(path=str(work / "baseline"))
    db = Chroma.from_documents(docs, embeddings, client=client, collection_name="baseline")
    db.similarity_search("warm up", k=4)
    latencies, hits, decisions = [], [], []
    for q in questions:
        started = time.perf_counter()
        found = db.similarity_search(q.question, k=4)
        _answer = "\n\n".join(d.page_content for d in found)  # every question is "answered"
        latencies.append((time.perf_counter() - started) * 1000)
        decisions.append(q.expect == "answer")
        if q.evidence:
            wanted = [" ".join(e.lower().split()) for e in q.evidence]
            hits.append(any(w in " ".join(d.page_content.lower().split()) for d in found[:3] for w in wanted))
    return {
        "name": "tutorial RAG (RecursiveCharacterTextSplitter 1000/200, Chroma similarity k=4, always answers)",
        "chunks": len(docs),
        "hit_at_3": round(sum(hits) / len(hits), 4),
        "decision_accuracy": round(sum(decisions) / len(decisions), 4),
        "p50_ms": _p(latencies, 50),
    }


def bench_cold_start(data_dir: Path) -> dict[str, Any]:
    """A new process answering its first question: imports, model load, index open.

    The very first run on a machine also exports the model to ONNX (once, cached with the index, like the
    ingest itself); it is reported separately as first_run_s.
    """
    env = os.environ | {"ASSISTANT_DATA_DIR": str(data_dir), "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "assistant", "ask", "How do I do a glute bridge?", "--json"]
    runs = []
    for _ in range(2):
        started = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True, env=env, cwd=ROOT, timeout=300)
        runs.append((time.perf_counter() - started, done))
    (first_s, _), (seconds, done) = runs
    ok = done.returncode == 0 and json.loads(done.stdout)["decision"] == "answer"
    return {"seconds": round(seconds, 2), "first_run_s": round(first_s, 2), "ok": ok}


def bench_load(data_dir: Path, questions: list[Any], *, clients: int, seconds: float) -> dict[str, Any]:
    """N gradio_client clients against app.py on loopback for a fixed time."""
    from gradio_client import Client

    from evals.chroma_server import start_app, stop_process, wait_until_up

    proc, port = start_app(data_dir)
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_until_up(url, proc, name="app.py", timeout=120)
        texts = [q.question for q in questions]
        latencies: list[float] = []
        errors = [0]
        lock = threading.Lock()
        stop_at = time.perf_counter() + seconds

        def worker(seed: int) -> None:
            client = Client(url, verbose=False)
            rnd = random.Random(seed)
            while time.perf_counter() < stop_at:
                started = time.perf_counter()
                try:
                    reply = client.predict(rnd.choice(texts), api_name="/ask")
                    ok = isinstance(reply, dict) and reply.get("decision") in ("answer", "refuse", "escalate")
                except Exception:  # any failure counts as an error; the run goes on
                    ok = False
                with lock:
                    latencies.append((time.perf_counter() - started) * 1000)
                    errors[0] += 0 if ok else 1

        began = time.perf_counter()
        server_cpu, client_cpu = _cpu_seconds(proc.pid), _own_cpu_seconds()
        threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - began
        server_cpu, client_cpu = _cpu_seconds(proc.pid) - server_cpu, _own_cpu_seconds() - client_cpu
        rss = _peak_rss_mb(proc.pid)
    finally:
        stop_process(proc, timeout=30)
    return {
        "clients": clients,
        "seconds": round(elapsed, 1),
        "requests": len(latencies),
        "errors": errors[0],
        "throughput_rps": round(len(latencies) / elapsed, 1),
        "p50_ms": _p(latencies, 50),
        "p95_ms": _p(latencies, 95),
        "server_peak_rss_mb": rss,
        # Where the CPU went: on 2 shared cores the load generator itself is most of it.
        "server_cpu_ms_per_request": round(1000 * server_cpu / max(len(latencies), 1), 1),
        "client_cpu_ms_per_request": round(1000 * client_cpu / max(len(latencies), 1), 1),
    }


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _own_cpu_seconds() -> float:
    times = os.times()
    return times.user + times.system


def _peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def _synthetic_index(settings: Settings, embedder: Embedder, size: int) -> None:
    """`size` chunks of synthetic text with random unit vectors: a store of that size, not a corpus."""
    rng = np.random.default_rng(size)
    words = (
        "knee muscle quadriceps hamstring glute calf hip flexor stretch strength posture brace roller tendon "
        "ligament patella alignment balance exercise pain relief"
    ).split()
    store = make_store(settings)
    generation = f"g-synthetic-{size}"
    collection = store.create(generation, embedder.name)
    for start in range(0, size, 5000):
        n = min(5000, size - start)
        vectors = rng.normal(size=(n, embedder.dim)).astype(np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        chunks = []
        for i in range(n):
            k = start + i
            text = " ".join(rng.choice(words, 12)) + f" item{k} token{k % 997}."
            chunks.append(
                Chunk(
                    f"s{k}",
                    f"synthetic-{k // 100}.md",
                    "Synthetic",
                    ("Section", f"Part {k % 50}"),
                    k,
                    text,
                    (text,),
                    False,
                    "h",
                )
            )
        collection.add(
            ids=[c.id for c in chunks],
            embeddings=vectors,
            documents=[c.text for c in chunks],
            metadatas=[chunk_metadata(c, vectors[i : i + 1]) for i, c in enumerate(chunks)],
        )
    store.write_manifest(
        make_manifest(generation, collection.name, embedder, settings, chunks=size, documents={})
    )


def bench_scale(
    embedder: Embedder, work: Path, sizes: list[int], questions: list[str], *, server: bool
) -> list[dict[str, Any]]:
    """p50 of a full warm ask at each index size, embedded and on a `chroma run` server."""
    from evals.chroma_server import ChromaServer, free_port

    out = []
    modes = ["embedded"] + (["server"] if server else [])
    for mode in modes:
        srv = ChromaServer(work / f"chroma-{mode}", free_port()).start() if mode == "server" else None
        try:
            for size in sizes:
                extra = {"chroma_url": srv.url} if srv else {}
                settings = _settings(work / f"scale-{mode}-{size}", **extra)
                started = time.perf_counter()
                _synthetic_index(settings, embedder, size)
                build = time.perf_counter() - started
                bot = Assistant(settings, embedder=embedder)
                started = time.perf_counter()
                bot.knowledge()
                load = time.perf_counter() - started
                for q in questions[:5]:
                    bot.ask(q)
                times = []
                for q in questions:
                    t = time.perf_counter()
                    bot.ask(q)
                    times.append((time.perf_counter() - t) * 1000)
                out.append(
                    {
                        "mode": mode,
                        "chunks": size,
                        "p50_ms": _p(times, 50),
                        "p95_ms": _p(times, 95),
                        "build_s": round(build, 1),
                        "load_s": round(load, 1),
                    }
                )
                print(
                    f"  scale {mode:<8} {size:>7} chunks: p50 {out[-1]['p50_ms']} ms",
                    file=sys.stderr,
                    flush=True,
                )
        finally:
            if srv:
                srv.stop()
    return out


def run_bench(out: Path, *, quick: bool = False) -> int:
    """Run every measurement and write out/bench.json; print a short table."""
    out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="bench-"))
    try:
        settings = get_settings()
        embedder = make_embedder(settings.embedding_model, settings.embedding_backend, settings.model_cache)
        questions = load_questions(QUESTIONS)
        step = lambda name: print(f"bench: {name} ...", file=sys.stderr, flush=True)  # noqa: E731
        step("ingest")
        ingest = bench_ingest(embedder, work, copies=3 if quick else 20)
        data = work / "data"
        run_ingest(_settings(data), embedder=embedder)
        step("query")
        bot = Assistant(_settings(data), embedder=embedder)
        query, ours = bench_query(bot, questions[:40] if quick else questions)
        step("long messages")
        query_long = bench_query_long(bot, LONG_MESSAGES)
        step("baseline")
        baseline = bench_baseline(questions[:40] if quick else questions, work)
        step("cold start")
        cold = bench_cold_start(data)
        step("load")
        load = bench_load(data, questions, clients=4 if quick else 16, seconds=5 if quick else 60)
        step("load (REST API)")
        load_api = bench_load_api(
            data, bot, [q.question for q in questions], connections=16, seconds=8 if quick else 45
        )
        step("scale")
        sizes = [1000, 3000] if quick else [1000, 10_000, 100_000]
        scale = bench_scale(
            embedder, work, sizes, [q.question for q in questions if q.expect == "answer"][:30], server=True
        )
        embedded = [s for s in scale if s["mode"] == "embedded"]
        result = {
            "machine": {
                "cpus": os.cpu_count(),
                "python": platform.python_version(),
                "platform": platform.platform(),
                "embedding_backend": settings.embedding_backend,
                "model": embedder.name,
                "quick": quick,
            },
            "ingest": ingest,
            "query": query,
            "query_long": query_long,
            "cold_start_s": cold["seconds"],
            "cold_start": cold,
            "rss_mb": load["server_peak_rss_mb"],
            "baseline": baseline,
            "ours": ours,
            "load": load,
            "load_api": load_api,
            "scale": scale,
            "scale_growth": round(embedded[-1]["p50_ms"] / max(embedded[0]["p50_ms"], 1e-6), 2),
        }
        (out / "bench.json").write_text(json.dumps(result, indent=2))
        print(table(result))
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


def table(r: dict[str, Any]) -> str:
    """Human-readable summary with the targets."""
    q, i, load, b, o = r["query"], r["ingest"], r["load"], r["baseline"], r["ours"]
    lines = [
        f"{'measure':<34} {'value':>12}  target",
        f"{'ingest chunks/s (floor)':<34} {i['chunks_per_s']:>6} ({i['raw_encode_chunks_per_s']})",
        f"{'ingest overhead ratio':<34} {i['overhead_ratio']:>12}  <= 1.3",
        f"{'query p50 / p95 ms':<34} {q['p50_ms']:>5} / {q['p95_ms']:<5}  p95 < 100",
        f"{'bare query embedding p50 ms':<34} {q['bare_embed_p50_ms']:>12}",
        f"{'query ratio p50':<34} {q['ratio_p50']:>12}  <= 2.0",
        f"{'long messages (150-300 words) p50 / p95 ms':<34} {r['query_long']['p50_ms']:>5} / {r['query_long']['p95_ms']:<5}  p95 <= 100",
        f"{'cold start s':<34} {r['cold_start_s']:>12}  <= 10",
        f"{'peak RSS of the app MB':<34} {r['rss_mb']:>12}  <= 900",
        f"{'load rps / p95 ms / errors':<34} {load['throughput_rps']:>5} / {load['p95_ms']} / {load['errors']}  p95 <= 1000, 0 errors",
        f"{'load CPU ms/request server, clients':<34} {load['server_cpu_ms_per_request']:>5} / {load['client_cpu_ms_per_request']}",
        f"{'REST load rps / p50 / p95 ms / errors':<34} {r['load_api']['throughput_rps']:>5} / {r['load_api']['p50_ms']} / {r['load_api']['p95_ms']} / {r['load_api']['errors']}  p95 <= 250, 0 errors",
        f"{'REST CPU ms/request server, chain':<34} {r['load_api']['server_cpu_ms_per_request']:>5} / {r['load_api']['chain_cpu_ms_per_request']}  server <= 1.5x chain",
        f"{'hit@3 ours vs baseline':<34} {o['hit_at_3']:>5} vs {b['hit_at_3']}",
        f"{'decision acc. ours vs baseline':<34} {o['decision_accuracy']:>5} vs {b['decision_accuracy']}",
        f"{'p50 ms ours vs baseline':<34} {o['p50_ms']:>5} vs {b['p50_ms']}",
    ]
    for s in r["scale"]:
        lines.append(f"{'scale ' + s['mode'] + ' ' + str(s['chunks']):<34} {s['p50_ms']:>9} ms")
    lines.append(f"{'scale growth (embedded)':<34} {r['scale_growth']:>12}  <= 3x")
    return "\n".join(lines)
