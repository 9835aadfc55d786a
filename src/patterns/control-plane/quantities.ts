import { IConstruct } from 'constructs';
import { fail, show } from '../../private/errors';

const CPU = /^(\d+(?:\.\d{1,3})?)(m?)$/;
const MEMORY = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$/;
const DECIMAL = ['', 'k', 'M', 'G', 'T', 'P', 'E'];
const BINARY = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];
const MEMORY_UNIT: Record<string, number> = Object.fromEntries([
  ...DECIMAL.map((u, i) => [u, 1000 ** i]),
  ...BINARY.slice(1).map((u, i) => [u, 1024 ** (i + 1)]),
]);

/** A CPU quantity (`100m`, `2`, `0.5`) in millicores. Internal. */
export function checkCpu(scope: IConstruct, prop: string, value: unknown): number {
  const m = typeof value === 'string' ? CPU.exec(value) : null;
  const milli = m ? (m[2] === 'm' ? Number(m[1]) : Number(m[1]) * 1000) : NaN;
  if (!m || !Number.isInteger(milli) || milli <= 0) {
    fail(scope, `${prop} must be a positive Kubernetes CPU quantity in whole millicores such as "100m" or "2", got ${show(value)}`);
  }
  return milli;
}

/** A memory quantity (`128Mi`, `1Gi`, `500M`) in bytes. Internal. */
export function checkMemory(scope: IConstruct, prop: string, value: unknown): number {
  const m = typeof value === 'string' ? MEMORY.exec(value) : null;
  const bytes = m ? Number(m[1]) * MEMORY_UNIT[m[2] ?? ''] : NaN;
  if (!m || !(bytes > 0)) {
    fail(scope, `${prop} must be a positive Kubernetes memory quantity such as "128Mi" or "1Gi", got ${show(value)}`);
  }
  return bytes;
}
