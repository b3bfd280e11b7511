import { mebibytes, plaintextSecretValues, podPolicyViolations } from './support/policy';

/** The policy checks themselves: each rule the overlays pass must fail an object that breaks it. */
describe('deployment policy', () => {
  it('names every rule a bare pod breaks', () => {
    expect(
      podPolicyViolations({ containers: [{ name: 'app', image: 'mm/ledger:latest', env: [{ name: 'LEDGER_API_KEY', value: 'k' }] }] }),
    ).toEqual([
      'pod runAsNonRoot is not true',
      'pod runAsUser is unset or 0',
      'the service account token is mounted',
      'no emptyDir volume named tmp',
      'app: root filesystem is writable',
      'app: privilege escalation is allowed',
      'app: capabilities are not all dropped',
      'app: /tmp is not the writable emptyDir',
      'app: limits are not set',
      'app: requests are not set',
      'app: image mm/ledger:latest has no pinned tag',
      'app: LEDGER_API_KEY is given in plain text',
    ]);
    expect(podPolicyViolations(undefined)).toEqual(['no pod spec']);
  });

  it('finds a Secret value that is not the placeholder, in data or stringData', () => {
    const b64 = (s: string) => Buffer.from(s).toString('base64');
    expect(plaintextSecretValues({ data: { A: b64('REPLACE_ME'), B: b64('s3cret') }, stringData: { C: 'x' } })).toEqual(['B', 'C']);
  });

  it('reads memory quantities in mebibytes', () => {
    expect([mebibytes('256Mi'), mebibytes('1Gi'), mebibytes(268435456)]).toEqual([256, 1024, 256]);
    expect(() => mebibytes('lots')).toThrow(/unexpected memory quantity/);
  });
});
