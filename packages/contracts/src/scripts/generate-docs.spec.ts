import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventCatalog } from '../events/registry';
import { generateDocs } from './generate-docs';

describe('docs:contracts', () => {
  it('writes an AsyncAPI document with every topic and event, and a JSON Schema per event', () => {
    const out = mkdtempSync(join(tmpdir(), 'mm-contracts-'));
    generateDocs(out);
    const asyncapi = JSON.parse(readFileSync(join(out, 'asyncapi.json'), 'utf8'));
    expect(asyncapi.asyncapi).toBe('3.0.0');
    const topics = new Set(Object.values(EventCatalog).map((e) => e.topic));
    expect(new Set(Object.keys(asyncapi.channels))).toEqual(topics);
    expect(Object.keys(asyncapi.components.messages)).toHaveLength(Object.keys(EventCatalog).length);
    for (const type of Object.keys(EventCatalog)) expect(readdirSync(out)).toContain(`${type}.schema.json`);
    const payment = JSON.parse(readFileSync(join(out, 'mm.payment.received.v1.schema.json'), 'utf8'));
    expect(payment.properties.data.properties.amount.properties.amountMinor.type).toBe('string');
  });
});
