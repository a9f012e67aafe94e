/**
 * ISO/IEC TS 27560 (R9): the mandatory fields of a consent record, and a check that names the ones a
 * record lacks. Separate from the projection so records from elsewhere can be checked too.
 */
/** R9's mandatory fields, section by section, in our field names. */
export const ISO_27560_MANDATORY = {
  header: ['schemaVersion', 'recordId', 'piiPrincipalId'],
  processing: [
    'privacyNotice',
    'language',
    'purpose',
    'piiInformation',
    'piiControllers',
    'storageLocations',
    'retentionPeriod',
    'jurisdiction',
    'recipientThirdParties',
    'withdrawalMethod',
  ],
  piiInformation: ['piiType'],
  parties: ['partyId', 'partyAddress', 'partyName', 'partyContact', 'partyType'],
  events: ['eventTime', 'validityDuration', 'entityId', 'eventType', 'eventState'],
} as const;

/** Fields that may legitimately be empty lists: "no third parties" is an answer, not a gap. */
const MAY_BE_EMPTY = new Set<string>(['recipientThirdParties']);

function isPresent(value: unknown, key: string): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === 'string') return value.trim() !== '';
  if (Array.isArray(value)) return MAY_BE_EMPTY.has(key) || value.length > 0;
  return true;
}

/**
 * Lists the R9 mandatory fields a 27560 record lacks, as paths (`processing.0.withdrawalMethod`).
 * Empty means complete. For records from elsewhere too, hence `unknown`.
 */
export function missingIso27560Fields(value: unknown): string[] {
  const missing: string[] = [];
  const obj = (v: unknown): Record<string, unknown> | undefined =>
    typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  const check = (target: Record<string, unknown> | undefined, keys: readonly string[], prefix: string) => {
    for (const key of keys) if (!isPresent(target?.[key], key)) missing.push(`${prefix}${key}`);
  };
  const root = obj(value);
  check(obj(root?.header), ISO_27560_MANDATORY.header, 'header.');
  const list = (key: string): unknown[] => {
    const v = root?.[key];
    if (!Array.isArray(v) || v.length === 0) {
      missing.push(key);
      return [];
    }
    return v;
  };
  list('processing').forEach((p, i) => {
    check(obj(p), ISO_27560_MANDATORY.processing, `processing.${i}.`);
    const info = obj(p)?.piiInformation;
    if (Array.isArray(info)) {
      info.forEach((item, j) => {
        check(obj(item), ISO_27560_MANDATORY.piiInformation, `processing.${i}.piiInformation.${j}.`);
      });
    }
  });
  list('parties').forEach((p, i) => {
    check(obj(p), ISO_27560_MANDATORY.parties, `parties.${i}.`);
  });
  list('events').forEach((e, i) => {
    check(obj(e), ISO_27560_MANDATORY.events, `events.${i}.`);
  });
  return missing;
}
