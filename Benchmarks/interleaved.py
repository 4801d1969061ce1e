"""Before/after timing on a noisy machine: runs two (or more) binaries alternately, A B B A …,
so that the machine's drift falls on each alike, and prints each one's median and quartiles.

    python3 Benchmarks/interleaved.py N PREPARE|- BINARY_A,BINARY_B ARGS...

PREPARE is a shell command run before every run (e.g. one that copies a fresh database for a
commit), or "-" for none. ARGS are given to each binary."""
import statistics
import subprocess
import sys
import time

n, prepare, binaries, args = int(sys.argv[1]), sys.argv[2], sys.argv[3].split(","), sys.argv[4:]
times = {b: [] for b in binaries}
for i in range(n):
    for binary in (binaries if i % 2 == 0 else binaries[::-1]):
        if prepare != "-":
            subprocess.run(prepare, shell=True, check=True)
        start = time.perf_counter()
        subprocess.run([binary] + args, stdout=subprocess.DEVNULL, check=True)
        times[binary].append(time.perf_counter() - start)
for binary in binaries:
    v = sorted(times[binary])
    print(f"{binary}: median {statistics.median(v) * 1000:.1f} ms "
          f"(p25 {v[n // 4] * 1000:.1f}, p75 {v[3 * n // 4] * 1000:.1f}, n={n})")
