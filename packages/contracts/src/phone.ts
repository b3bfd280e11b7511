import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';

export type PhoneNormalisation = { ok: true; e164: string } | { ok: false; reason: string };

/**
 * Normalises a subscriber number to E.164 (`+2507…`). Accepts international forms (`+250…`, `00250…`,
 * `250…` with the country's calling code) and national forms (`0786…`) resolved with `countryCode`.
 * A number that is not a valid number for its country is refused rather than guessed.
 */
export function normalisePhone(raw: string, countryCode?: string): PhoneNormalisation {
  const compact = raw.replace(/[\s().-]/g, '');
  if (!/^\+?[0-9]{4,20}$/.test(compact)) return { ok: false, reason: 'phone number must contain only digits' };
  const country = countryCode && /^[A-Za-z]{2}$/.test(countryCode) ? (countryCode.toUpperCase() as CountryCode) : undefined;
  const candidates: string[] = [];
  if (compact.startsWith('+')) candidates.push(compact);
  else if (compact.startsWith('00')) candidates.push(`+${compact.slice(2)}`);
  else {
    candidates.push(`+${compact}`);
  }
  for (const candidate of candidates) {
    const parsed = parsePhoneNumberFromString(candidate);
    if (parsed?.isValid() && (!country || parsed.country === country || parsed.country === undefined)) {
      return { ok: true, e164: parsed.number };
    }
  }
  if (country && !compact.startsWith('+') && !compact.startsWith('00')) {
    const national = parsePhoneNumberFromString(compact, country);
    if (national?.isValid()) return { ok: true, e164: national.number };
  }
  return { ok: false, reason: country ? `not a valid ${country} phone number` : 'not a valid international phone number' };
}
