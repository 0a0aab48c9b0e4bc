"""The results store's cost on a 50,000-member family: store vs ``--no-store``, in one run.

Each measurement is a fresh interpreter running ``Session(store=...).run(...)`` (collection,
planning and execution; imports excluded), alternating with and without the store so machine
noise hits both alike; the ratio of medians is reported (goal <= 1.3x). The run hands results
to the store's writer process (``nnbench.store.writer``) at least every
``nnbench.store.live.FLUSH_INTERVAL`` seconds.

Usage: python perf/store.py [--repeat N] [--members N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import textwrap

from _common import WORK, child_seconds

SUITE = textwrap.dedent("""
    import nnbench

    @nnbench.parametrize([{{"i": i}} for i in range({members})])
    def trivial(i: int) -> int:
        return i
""")

RUN = textwrap.dedent("""
    import os, time
    from nnbench import Session
    store = {store!r}
    if store and os.path.exists(store):
        os.remove(store)
    session = Session(store=store)
    start = time.perf_counter()
    records = session.run({path!r})
    assert len(records[0].benchmarks) == {members}
    print(time.perf_counter() - start)
""")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--members", type=int, default=50_000)
    args = parser.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    suite = WORK / "store_family_bench.py"
    suite.write_text(SUITE.format(members=args.members))
    store = str(WORK / "store-perf.db")
    with_store, without = [], []
    for _ in range(args.repeat):
        with_store += child_seconds(RUN.format(store=store, path=str(suite),
                                               members=args.members), 1)
        without += child_seconds(RUN.format(store=None, path=str(suite),
                                            members=args.members), 1)
    ratio = statistics.median(with_store) / statistics.median(without)
    print(f"{args.members:,}-member family: store {statistics.median(with_store):.2f} s, "
          f"--no-store {statistics.median(without):.2f} s -> ratio {ratio:.2f}x (goal <= 1.3x)")
    return 0 if ratio <= 1.3 else 1


if __name__ == "__main__":
    sys.exit(main())
