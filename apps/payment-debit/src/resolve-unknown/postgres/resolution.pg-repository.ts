import type { Currency } from '@mm/contracts';
import { OutboxNotifier, recordOperatorAction, type Operator, type OperatorAction } from '@mm/platform';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { SettledOutcome } from '../../debits/bixi-outcome';
import type { OutgoingEvent, StoredDebit } from '../../debits/debit.repository';
import { COLUMNS, idOf, rowsOf, toStoredDebit, type DebitRow } from '../../postgres/debit-row';
import { resolveUnknown } from '../../postgres/resolve-unknown';
import type { ProposalFilter, ResolutionRepository, ResolutionTx } from '../resolution.repository';
import { ResolutionError, type ProposeResolution, type ResolutionProposal } from '../resolution-proposal';

const PROPOSAL_COLUMNS = `proposal_id::text, command_id::text, outcome, state, bixi_transaction_id, bixi_reference_id, issuer_transaction_id,
  bixi_issuer, charges_minor::text, total_minor::text, currency, reason, evidence, maker_id, checker_id, decision_reason,
  to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as created_at,
  to_char(decided_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as decided_at`;

interface ProposalRow {
  proposal_id: string;
  command_id: string;
  outcome: ResolutionProposal['outcome'];
  state: ResolutionProposal['state'];
  bixi_transaction_id: string | null;
  bixi_reference_id: string | null;
  issuer_transaction_id: string | null;
  bixi_issuer: string | null;
  charges_minor: string | null;
  total_minor: string | null;
  currency: string | null;
  reason: string | null;
  evidence: string;
  maker_id: string;
  checker_id: string | null;
  decision_reason: string | null;
  created_at: string;
  decided_at: string | null;
}

const money = (minor: string | null, currency: string | null) =>
  minor !== null && currency ? { amountMinor: minor, currency: currency as Currency } : null;

const toProposal = (r: ProposalRow): ResolutionProposal => ({
  proposalId: r.proposal_id,
  commandId: r.command_id,
  outcome: r.outcome,
  state: r.state,
  bixiTransactionId: r.bixi_transaction_id,
  referenceId: r.bixi_reference_id,
  issuerTransactionId: r.issuer_transaction_id,
  issuer: r.bixi_issuer,
  charges: money(r.charges_minor, r.currency),
  total: money(r.total_minor, r.currency),
  reason: r.reason,
  evidence: r.evidence,
  makerId: r.maker_id,
  checkerId: r.checker_id,
  decisionReason: r.decision_reason,
  createdAt: r.created_at,
  decidedAt: r.decided_at,
});

/** The steps of one resolution transaction, as parameterised SQL on its manager. */
class PgResolutionTx implements ResolutionTx {
  resolved = false;

  constructor(private readonly tx: EntityManager) {}

  async lockCommand(commandId: string): Promise<StoredDebit | undefined> {
    const rows: DebitRow[] = await this.tx.query(`select ${COLUMNS} from debit_commands where command_id = $1 for update`, [
      idOf(commandId),
    ]);
    return rows[0] ? toStoredDebit(rows[0]) : undefined;
  }

  async openProposalOf(commandId: string): Promise<string | undefined> {
    const rows: { id: string }[] = await this.tx.query(
      `select proposal_id::text as id from resolution_proposals where command_id = $1 and state = 'PROPOSED'`,
      [idOf(commandId)],
    );
    return rows[0]?.id;
  }

  async insert(proposalId: string, commandId: string, d: ProposeResolution, maker: Operator): Promise<ResolutionProposal> {
    const debited = d.outcome === 'DEBITED' ? d : undefined;
    const rows: ProposalRow[] = await this.tx.query(
      `insert into resolution_proposals (proposal_id, command_id, outcome, bixi_transaction_id, bixi_reference_id, issuer_transaction_id,
         bixi_issuer, charges_minor, total_minor, currency, reason, evidence, maker_id)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
       returning ${PROPOSAL_COLUMNS}`,
      [
        proposalId,
        idOf(commandId),
        d.outcome,
        d.bixiTransactionId ?? null,
        debited?.referenceId ?? null,
        debited?.issuerTransactionId ?? null,
        debited?.issuer ?? null,
        debited?.charges.amountMinor ?? null,
        debited?.total.amountMinor ?? null,
        debited?.total.currency ?? null,
        d.outcome === 'NOT_DEBITED' ? d.reason : null,
        d.evidence,
        maker.sub,
      ],
    );
    return toProposal(rows[0]!);
  }

  async lockProposal(proposalId: string): Promise<ResolutionProposal | undefined> {
    const rows: ProposalRow[] = await this.tx.query(
      `select ${PROPOSAL_COLUMNS} from resolution_proposals where proposal_id = $1 for update`,
      [idOf(proposalId)],
    );
    return rows[0] ? toProposal(rows[0]) : undefined;
  }

  async decide(proposalId: string, state: 'APPROVED' | 'REJECTED', checkerId: string, reason: string | null): Promise<ResolutionProposal> {
    const result: unknown = await this.tx.query(
      `update resolution_proposals set state = $2, checker_id = $3, decision_reason = $4, decided_at = now()
        where proposal_id = $1 and state = 'PROPOSED'
       returning ${PROPOSAL_COLUMNS}`,
      [idOf(proposalId), state, checkerId, reason],
    );
    return toProposal(rowsOf<ProposalRow>(result)[0]!);
  }

  async resolve(commandId: string, outcome: SettledOutcome, event: OutgoingEvent): Promise<boolean> {
    const resolved = await resolveUnknown(this.tx, commandId, 'operator', outcome, event);
    this.resolved ||= resolved;
    return resolved;
  }

  audit(action: OperatorAction): Promise<void> {
    return recordOperatorAction(this.tx, action);
  }
}

/** Proposals and their decisions in `resolution_proposals`; each step one transaction with its audit record. */
@Injectable()
export class PgResolutionRepository implements ResolutionRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly notifier: OutboxNotifier,
  ) {}

  async inTransaction<T>(work: (tx: ResolutionTx) => Promise<T>): Promise<T> {
    let steps: PgResolutionTx | undefined;
    try {
      const result = await this.dataSource.transaction((manager) => work((steps = new PgResolutionTx(manager))));
      if (steps?.resolved) this.notifier.notify();
      return result;
    } catch (error) {
      // The partial unique index: another proposal for the command committed first.
      if ((error as { constraint?: string }).constraint === 'resolution_proposals_open_idx') {
        throw new ResolutionError('OPEN_PROPOSAL', 'the debit already has an open proposal; a checker decides it first');
      }
      throw error;
    }
  }

  async find(proposalId: string): Promise<ResolutionProposal | undefined> {
    const rows: ProposalRow[] = await this.dataSource.query(`select ${PROPOSAL_COLUMNS} from resolution_proposals where proposal_id = $1`, [
      idOf(proposalId),
    ]);
    return rows[0] ? toProposal(rows[0]) : undefined;
  }

  async list(f: ProposalFilter): Promise<ResolutionProposal[]> {
    const rows: ProposalRow[] = await this.dataSource.query(
      `select ${PROPOSAL_COLUMNS} from resolution_proposals
        where ($1::text is null or state = $1) and ($2::uuid is null or command_id = $2::uuid)
          and ($3::timestamptz is null or (created_at, proposal_id) < ($3::timestamptz, $4::uuid))
        order by created_at desc, proposal_id desc
        limit $5`,
      [f.state ?? null, f.commandId ? idOf(f.commandId) : null, f.before?.at ?? null, f.before?.id ?? null, f.limit + 1],
    );
    return rows.map(toProposal);
  }
}
