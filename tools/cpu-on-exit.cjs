// Preloaded by bench-e2e (`node --require`): when the process exits, write its CPU seconds (user + system, every
// thread, worker threads included: getrusage of the whole process) to the file named by OVERFIT_BENCH_CPU_FILE.
// Total CPU is the run's work; unlike elapsed time it hardly grows when a busy neighbour takes the cores.
const { writeFileSync } = require('node:fs');

process.on('exit', () => {
  const { user, system } = process.cpuUsage();
  if (process.env.OVERFIT_BENCH_CPU_FILE)
    writeFileSync(process.env.OVERFIT_BENCH_CPU_FILE, String((user + system) / 1e6));
});
