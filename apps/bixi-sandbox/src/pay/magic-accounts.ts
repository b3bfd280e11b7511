/**
 * Magic account numbers (after the leading + or 00 is removed), like card-network test numbers: each one makes
 * the sandbox misbehave in one documented way. Every other account is approved. Keep README.md in step.
 */
export const MagicAccounts = {
  '252600000001': 'decline',
  '252600000002': 'insufficient_funds',
  '252600000003': 'server_error',
  '252600000004': 'malformed',
  '252600000005': 'slow',
  '252600000006': 'timeout',
  '252600000007': 'drop',
  '252600000008': 'pending',
} as const;

export type Behaviour = (typeof MagicAccounts)[keyof typeof MagicAccounts] | 'approve';

export function behaviourOf(accountNumber: string): Behaviour {
  return Object.prototype.hasOwnProperty.call(MagicAccounts, accountNumber)
    ? MagicAccounts[accountNumber as keyof typeof MagicAccounts]
    : 'approve';
}

/** The mobile-money operator that "issued" the account, by country and network prefix. */
export function issuerOf(accountNumber: string): string {
  if (accountNumber.startsWith('2526')) return 'hormuud';
  if (accountNumber.startsWith('2547')) return 'safaricom';
  if (accountNumber.startsWith('2507')) return 'mtn-rwanda';
  return 'sandbox-issuer';
}
