// One measured figure, with its target and whether it met it. A figure without a target is
// informational (met: null). A figure that could not be measured says why instead of a number.
import { loadavg } from 'node:os';

/** The 1-minute load average now, to 2 decimals: stamped on each figure as it is measured. */
export const loadNow = () => Math.round(loadavg()[0] * 100) / 100;

/**
 * @param {{ id: string, label: string, value: number, unit: string,
 *   target?: { op: '<' | '<=' | '>=' | '>', value: number, text?: string }, note?: string }} f
 */
export function figure(f) {
  const { target } = f;
  let met = null;
  if (target && Number.isFinite(f.value)) {
    met =
      target.op === '<'
        ? f.value < target.value
        : target.op === '<='
          ? f.value <= target.value
          : target.op === '>='
            ? f.value >= target.value
            : f.value > target.value;
  }
  return {
    // When the figure was taken: with its bench's load at start, the report shows how busy the
    // machine was across the run that produced it, so a pessimistic figure is recognised.
    loadAtEnd: loadNow(),
    ...f,
    ...(target ? { target: { ...target, text: target.text ?? `${target.op} ${target.value} ${f.unit}` } } : {}),
    met,
  };
}

/** A figure the run could not produce, with the reason in place of a number. */
export function notMeasured(f, reason) {
  return { ...f, value: null, met: null, notMeasured: reason };
}

/** How far a figure is from its target, as the report states it ("2.4× over", "35% short"). */
export function gap(f) {
  if (!f.target || f.met !== false || !Number.isFinite(f.value)) return '';
  const { op, value } = f.target;
  if (op === '<' || op === '<=') return `${(f.value / value).toFixed(2)}× the limit`;
  return `needs ${(value / f.value).toFixed(1)}× the measured value`;
}
