/**
 * Where the GDPR (or the UK GDPR) applies, an opt-out box never counts as consent (R16–R37).
 * Codes are ISO 3166-1 alpha-2, optionally with an ISO 3166-2 subdivision ("FR-75", "ES-CN").
 */
const GDPR_REGIONS: ReadonlySet<string> = new Set([
  // EU 27
  'AT',
  'BE',
  'BG',
  'HR',
  'CY',
  'CZ',
  'DK',
  'EE',
  'FI',
  'FR',
  'DE',
  'GR',
  'HU',
  'IE',
  'IT',
  'LV',
  'LT',
  'LU',
  'MT',
  'NL',
  'PL',
  'PT',
  'RO',
  'SK',
  'SI',
  'ES',
  'SE',
  // EU outermost regions and Åland, which ISO 3166-1 codes separately
  'AX',
  'GF',
  'GP',
  'MQ',
  'RE',
  'YT',
  'MF',
  // EEA (the GDPR applies through the EEA Agreement)
  'IS',
  'LI',
  'NO',
  // United Kingdom (UK GDPR); "UK" is ISO-reserved for it, "EL" is the EU's code for Greece
  'GB',
  'UK',
  'EL',
  // Blocs
  'EU',
  'EEA',
]);

export function isGdprJurisdiction(code: string | null | undefined): boolean {
  if (typeof code !== 'string') return false;
  const country = code.trim().toUpperCase().split('-')[0] ?? '';
  return GDPR_REGIONS.has(country);
}
