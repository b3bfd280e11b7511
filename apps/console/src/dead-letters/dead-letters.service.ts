import type { DeadLetterSummary, DeadLetterView } from '@mm/contracts';
import type { Operator } from '@mm/platform';
import { Injectable } from '@nestjs/common';
import { passThrough, requireRole } from '../resolve-unknown/resolutions.service';
import { ServicesClient } from '../upstream/services.client';

/** The services that consume Kafka and keep a dead-letter inbox (`/v1/dead-letters`). */
export const DEAD_LETTER_SERVICES = ['ledger', 'payment-debit'] as const;
export type DeadLetterService = (typeof DEAD_LETTER_SERVICES)[number];

export type ConsoleDeadLetter = DeadLetterSummary & { service: DeadLetterService };

/** How many letters per service the page lists (newest first). */
const PAGE = 100;

/**
 * Dead letters of every consuming service through their own operator routes. A replay redelivers a message already in
 * the log to the topic it came from (consumers are idempotent, so a booked event stays booked once); only a checker may.
 */
@Injectable()
export class DeadLettersService {
  constructor(private readonly services: ServicesClient) {}

  async list(state: 'open' | 'replayed' | undefined, operator: Operator): Promise<{ items: ConsoleDeadLetter[]; unavailable: string[] }> {
    const query = `?limit=${PAGE}${state ? `&state=${state}` : ''}`;
    const answers = await Promise.all(
      DEAD_LETTER_SERVICES.map((service) =>
        this.services.get<{ items: DeadLetterSummary[] }>(service, `/v1/dead-letters${query}`, operator),
      ),
    );
    const items: ConsoleDeadLetter[] = [];
    const unavailable: string[] = [];
    answers.forEach((answer, i) => {
      const service = DEAD_LETTER_SERVICES[i]!;
      if (answer.status === 200) items.push(...answer.body.items.map((letter) => ({ ...letter, service })));
      else unavailable.push(service);
    });
    items.sort((a, b) => b.receivedAt.localeCompare(a.receivedAt));
    return { items, unavailable };
  }

  async get(service: DeadLetterService, id: string, operator: Operator): Promise<DeadLetterView & { service: DeadLetterService }> {
    const letter = passThrough(await this.services.get<DeadLetterView>(service, `/v1/dead-letters/${id}`, operator), service);
    return { ...letter, service };
  }

  async replay(service: DeadLetterService, id: string, reason: string, operator: Operator): Promise<DeadLetterView> {
    requireRole(operator, 'checker', 'replay a dead letter');
    return passThrough(await this.services.post<DeadLetterView>(service, `/v1/dead-letters/${id}/replay`, operator, { reason }), service);
  }
}
