/**
 * The `Sec-GPC` request header (R45): honoured only when a field value is exactly "1".
 * Repeated header lines arrive either as an array or joined with commas (RFC 9110 §5.3), so each
 * comma-separated member counts; optional whitespace (SP/HTAB) around a value is not part of it.
 * "0", "true", "yes", "1.0" and "01" are all ignored, as the spec requires.
 */
export function parseSecGpc(headerValues: string | readonly string[] | null | undefined): boolean {
  if (headerValues === null || headerValues === undefined) return false;
  const lines = typeof headerValues === 'string' ? [headerValues] : headerValues;
  for (const line of lines) {
    if (typeof line !== 'string') continue;
    for (const member of line.split(',')) {
      if (member.replace(/^[ \t]+|[ \t]+$/g, '') === '1') return true;
    }
  }
  return false;
}
