// What the benchmarks' tables share: the median they report, and the machine as the machine itself reports it (the
// project's VMs land on different CPUs, so a table names the one it was measured on instead of assuming it).
import { existsSync, readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** CPU model × cores, vector extensions, L2 per core, memory, Node and platform. */
export function machine() {
  const cpu = cpus();
  const info = existsSync('/proc/cpuinfo') ? readFileSync('/proc/cpuinfo', 'utf8') : '';
  const flags = (/^flags\s*:\s*(.*)$/m.exec(info)?.[1] ?? '').split(' ');
  const vectors = ['avx2', 'avx512f'].filter((f) => flags.includes(f)).join(', ') || 'no AVX2 or AVX-512 flags read';
  const l2Path = '/sys/devices/system/cpu/cpu0/cache/index2/size';
  const l2 = existsSync(l2Path) ? `, L2 ${readFileSync(l2Path, 'utf8').trim()} per core` : '';
  return (
    `${cpu[0]?.model ?? 'unknown CPU'} × ${cpu.length} (${vectors}${l2}), ` +
    `${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${process.platform}/${process.arch}`
  );
}
