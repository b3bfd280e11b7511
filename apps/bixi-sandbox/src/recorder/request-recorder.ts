/** One POST /3.0/pay as the sandbox saw it. The Bearer token itself is never kept. */
export interface RecordedRequest {
  seq: number;
  receivedAt: string;
  requestId?: string;
  accountNumber?: string;
  receiptId?: string;
  authorized: boolean;
  headers: { accept?: string; contentType?: string };
  body: unknown;
  behaviour?: string;
  status?: number;
  /** The drop and timeout accounts: the transaction answer Bixi booked but never delivered (JSON text). */
  unsentAnswer?: string;
}

export interface RecordFilter {
  receiptId?: string;
  accountNumber?: string;
  requestId?: string;
}

/** In-memory log of received pay requests, so tests can count Bixi calls; bounded, oldest forgotten first. */
export class RequestRecorder {
  private requests: RecordedRequest[] = [];
  private seq = 0;

  constructor(private readonly limit: number) {}

  record(entry: Omit<RecordedRequest, 'seq' | 'receivedAt'>): RecordedRequest {
    const recorded = { seq: ++this.seq, receivedAt: new Date().toISOString(), ...entry };
    this.requests.push(recorded);
    if (this.requests.length > this.limit) this.requests.splice(0, this.requests.length - this.limit);
    return recorded;
  }

  list(filter: RecordFilter = {}): RecordedRequest[] {
    return this.requests.filter(
      (r) =>
        (filter.receiptId === undefined || r.receiptId === filter.receiptId) &&
        (filter.accountNumber === undefined || r.accountNumber === filter.accountNumber) &&
        (filter.requestId === undefined || r.requestId === filter.requestId),
    );
  }

  reset(): number {
    const count = this.requests.length;
    this.requests = [];
    return count;
  }
}
