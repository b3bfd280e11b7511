import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Parser } from '@asyncapi/parser';
import { EventCatalog } from '../events/registry';
import { generateDocs } from './generate-docs';

/** The committed documents (`npm run docs:contracts` writes them at the root's docs/contracts). */
const COMMITTED = join(__dirname, '..', '..', '..', '..', 'docs', 'contracts');
const ERROR = 0; // DiagnosticSeverity.Error

describe('docs:contracts', () => {
  const out = mkdtempSync(join(tmpdir(), 'mm-contracts-'));
  beforeAll(() => generateDocs(out));

  it('writes an AsyncAPI document with every topic and event, and a JSON Schema per event', () => {
    const asyncapi = JSON.parse(readFileSync(join(out, 'asyncapi.json'), 'utf8'));
    expect(asyncapi.asyncapi).toBe('3.0.0');
    const topics = new Set(Object.values(EventCatalog).map((e) => e.topic));
    expect(new Set(Object.keys(asyncapi.channels))).toEqual(topics);
    expect(Object.keys(asyncapi.components.messages)).toHaveLength(Object.keys(EventCatalog).length);
    for (const type of Object.keys(EventCatalog)) expect(readdirSync(out)).toContain(`${type}.schema.json`);
    const payment = JSON.parse(readFileSync(join(out, 'mm.payment.received.v1.schema.json'), 'utf8'));
    expect(payment.properties.data.properties.amount.properties.amountMinor.type).toBe('string');
  });

  it('writes an AsyncAPI document that @asyncapi/parser accepts without an error', async () => {
    const { document, diagnostics } = await new Parser().parse(readFileSync(join(out, 'asyncapi.json'), 'utf8'));
    expect(diagnostics.filter((d) => d.severity === ERROR).map((d) => `${d.path.join('.')}: ${d.message}`)).toEqual([]);
    expect(
      document
        ?.channels()
        .all()
        .map((c) => c.address())
        .sort(),
    ).toEqual([...new Set(Object.values(EventCatalog).map((e) => e.topic))].sort());
    expect(document?.messages().all()).toHaveLength(Object.keys(EventCatalog).length);
  });

  it('matches the committed docs/contracts (run `npm run docs:contracts` and commit the result)', () => {
    expect(readdirSync(COMMITTED).sort()).toEqual(readdirSync(out).sort());
    for (const file of readdirSync(out)) {
      expect({ file, text: readFileSync(join(COMMITTED, file), 'utf8') }).toEqual({ file, text: readFileSync(join(out, file), 'utf8') });
    }
  });
});
