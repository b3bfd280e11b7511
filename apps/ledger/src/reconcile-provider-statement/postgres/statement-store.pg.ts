import { uuidv7, type BreakType, type ProviderStatementImport } from '@mm/contracts';
import { recordOperatorAction, type OperatorAction } from '@mm/platform';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { BookPayment, FoundBreak, StoredLine } from '../match-statement';
import type { StatementRow } from '../read-statement';
import type { CloseOutcome, StatementStore, StatementTx, TransactionKeys } from '../statement-store';

/** Imports take this transaction-level lock: two statements never match against each other half-written. */
const IMPORT_LOCK = 'mm.ledger.provider-statements';

const PAYMENT_COLUMNS = `e.id as "eventId", d->>'paymentId' as "paymentId", d->>'providerId' as "providerId",
  d->>'transactionId' as "transactionId", d->'amount'->>'amountMinor' as "amountMinor", d->'amount'->>'currency' as currency,
  coalesce(d->>'subscriberMsisdn', '') as msisdn, to_char(e.time at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as time`;

const dayAfter = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString();

const KEYS = `unnest($1::text[], $2::text[]) as k(provider_id, transaction_id)`;

@Injectable()
export class PgStatementStore implements StatementStore {
  constructor(private readonly dataSource: DataSource) {}

  importing<T>(work: (tx: StatementTx) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query('select pg_advisory_xact_lock(hashtext($1))', [IMPORT_LOCK]);
      return work(new PgStatementTx(manager));
    });
  }

  closeBreak(breakId: string, reason: string, action: OperatorAction): Promise<CloseOutcome> {
    return this.dataSource.transaction(async (manager) => {
      const [found] = (await manager.query('select id from provider_breaks where id = $1', [breakId])) as unknown[];
      if (!found) return 'not_found';
      const closed = (await manager.query(
        `insert into provider_break_closures (break_id, closed_by, reason) values ($1, $2, $3) on conflict (break_id) do nothing returning break_id`,
        [breakId, action.operator.sub, reason],
      )) as unknown[];
      if (closed.length === 0) return 'already_closed';
      await recordOperatorAction(manager, action);
      return 'closed';
    });
  }
}

class PgStatementTx implements StatementTx {
  constructor(private readonly tx: EntityManager) {}

  async findByHash(contentHash: string): Promise<ProviderStatementImport | undefined> {
    const [row] = (await this.tx.query('select result from provider_statements where content_hash = $1', [contentHash])) as {
      result: ProviderStatementImport;
    }[];
    return row?.result;
  }

  paymentsFor(keys: TransactionKeys): Promise<BookPayment[]> {
    return this.tx.query(
      `select ${PAYMENT_COLUMNS} from (select distinct provider_id, transaction_id from ${KEYS}) k
         join events e on e.type = 'mm.payment.received.v1'
          and e.envelope->'data'->>'providerId' = k.provider_id and e.envelope->'data'->>'transactionId' = k.transaction_id
         cross join lateral (select e.envelope->'data' as d) x
        order by e.time, e.id`,
      [keys.providerIds, keys.transactionIds],
    );
  }

  storedLinesFor(keys: TransactionKeys): Promise<StoredLine[]> {
    return this.tx.query(
      `select l.statement_id as "statementId", l.row, l.amount_minor::text as "amountMinor", l.currency
         from provider_statement_lines l join (select distinct provider_id, transaction_id from ${KEYS}) k using (provider_id, transaction_id)`,
      [keys.providerIds, keys.transactionIds],
    );
  }

  unlistedPayments(providers: string[], days: string[], keys: TransactionKeys): Promise<BookPayment[]> {
    return this.tx.query(
      `select ${PAYMENT_COLUMNS} from events e cross join lateral (select e.envelope->'data' as d) x
        where e.type = 'mm.payment.received.v1' and e.envelope->'data'->>'providerId' = any($3::text[])
          and e.time >= $4::timestamptz and e.time < $5::timestamptz and (e.time at time zone 'UTC')::date = any($6::date[])
          and not exists (select 1 from ${KEYS} where k.provider_id = d->>'providerId' and k.transaction_id = d->>'transactionId')
          and not exists (select 1 from provider_statement_lines l
                           where l.provider_id = d->>'providerId' and l.transaction_id = d->>'transactionId')
        order by e.time, e.id`,
      [keys.providerIds, keys.transactionIds, providers, `${days[0]}T00:00:00Z`, dayAfter(days[days.length - 1]!), days],
    );
  }

  async insertLines(statementId: string, rows: StatementRow[]): Promise<void> {
    if (rows.length === 0) return;
    await this.tx.query(
      `insert into provider_statement_lines (statement_id, line_no, provider_id, transaction_id, amount_minor, currency, msisdn, time, row)
       select $1::uuid, (r.value->>'lineNo')::int, r.value->>'providerId', r.value->>'transactionId', (r.value->>'amountMinor')::bigint,
              r.value->>'currency', r.value->>'msisdn', (r.value->>'time')::timestamptz, r.value->'row'
         from jsonb_array_elements($2::jsonb) as r(value)
       on conflict (provider_id, transaction_id) do nothing`,
      [
        statementId,
        JSON.stringify(
          rows.map(({ lineNo, row, line }) => ({
            lineNo,
            row,
            providerId: line.providerId,
            transactionId: line.transactionId,
            amountMinor: line.amount.amountMinor,
            currency: line.amount.currency,
            msisdn: line.msisdn,
            time: line.time,
          })),
        ),
      ],
    );
  }

  async insertBreaks(statementId: string, breaks: FoundBreak[]): Promise<BreakType[]> {
    if (breaks.length === 0) return [];
    const recorded = (await this.tx.query(
      `insert into provider_breaks (id, type, break_key, statement_id, statement_rows, book_rows, detail)
       select (b.value->>'id')::uuid, b.value->>'type', b.value->>'key', $1::uuid, b.value->'statementRows', b.value->'bookRows', b.value->>'detail'
         from jsonb_array_elements($2::jsonb) as b(value)
       on conflict (type, break_key) do nothing
       returning type`,
      [statementId, JSON.stringify(breaks.map((b) => ({ ...b, id: uuidv7() })))],
    )) as { type: BreakType }[];
    return recorded.map((r) => r.type);
  }

  async insertStatement(result: ProviderStatementImport): Promise<void> {
    await this.tx.query(
      `insert into provider_statements (id, content_hash, format, result, imported_by, imported_at) values ($1, $2, $3, $4::jsonb, $5, $6)`,
      [result.statementId, result.contentHash, result.format, JSON.stringify(result), result.importedBy, result.importedAt],
    );
  }

  audit(action: OperatorAction): Promise<void> {
    return recordOperatorAction(this.tx, action);
  }
}
