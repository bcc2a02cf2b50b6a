// Node baseline for CoreBench.timers1M: 1,000,000 setTimeout callbacks, random 0-100 ms delays.
for (let round = 0; round < 3; round++) {
  await new Promise((resolve) => {
    const N = 1000000; let n = 0; const t0 = process.hrtime.bigint();
    const cb = () => { if (++n === N) { console.log(`node_timers_1M_ms ${Number(process.hrtime.bigint() - t0) / 1e6}`); resolve(); } };
    for (let i = 0; i < N; i++) setTimeout(cb, Math.floor(Math.random() * 101));
  });
}
