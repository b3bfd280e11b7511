import { z } from 'zod';
import { safeText } from './text';
import { uuidv7 } from './uuid';

/**
 * CloudEvents 1.0 structured-mode envelope. Extension attributes are lower-case alphanumerics
 * per the spec, hence `correlationid` / `causationid`. Unknown extra attributes are accepted and dropped (forward compatibility).
 */
export const envelopeSchema = <T extends string, D extends z.ZodType>(type: T, data: D) =>
  z.object({
    specversion: z.literal('1.0'),
    id: safeText(1, 128),
    source: safeText(1, 256),
    type: z.literal(type),
    time: z.iso.datetime({ offset: true }),
    subject: safeText(1, 256),
    datacontenttype: z.literal('application/json'),
    correlationid: safeText(1, 128),
    causationid: safeText(1, 128).optional(),
    data,
  });

export const AnyEnvelopeSchema = z.object({
  specversion: z.literal('1.0'),
  id: safeText(1, 128),
  type: z.string().min(1).max(128),
  source: z.string().min(1).max(256),
});

export interface Envelope<T extends string, D> {
  specversion: '1.0';
  id: string;
  source: string;
  type: T;
  time: string;
  subject: string;
  datacontenttype: 'application/json';
  correlationid: string;
  causationid?: string;
  data: D;
}

export interface EnvelopeInit<T extends string, D> {
  type: T;
  source: string;
  subject: string;
  data: D;
  correlationId: string;
  causationId?: string;
  id?: string;
  time?: Date;
}

export function createEnvelope<T extends string, D>(init: EnvelopeInit<T, D>): Envelope<T, D> {
  return {
    specversion: '1.0',
    id: init.id ?? uuidv7(),
    source: init.source,
    type: init.type,
    time: (init.time ?? new Date()).toISOString(),
    subject: init.subject,
    datacontenttype: 'application/json',
    correlationid: init.correlationId,
    ...(init.causationId ? { causationid: init.causationId } : {}),
    data: init.data,
  };
}
