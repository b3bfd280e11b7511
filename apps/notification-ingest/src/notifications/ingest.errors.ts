export enum IngestErrorCode {
  InvalidRequest = 'INVALID_REQUEST',
  Forbidden = 'FORBIDDEN',
  Conflict = 'CONFLICT',
  UnsupportedMediaType = 'UNSUPPORTED_MEDIA_TYPE',
  RateLimited = 'RATE_LIMITED',
  Unavailable = 'UNAVAILABLE',
}

export interface FieldError {
  field?: string;
  message: string;
}

const STATUS: Record<IngestErrorCode, number> = {
  [IngestErrorCode.InvalidRequest]: 400,
  [IngestErrorCode.Forbidden]: 403,
  [IngestErrorCode.Conflict]: 409,
  [IngestErrorCode.UnsupportedMediaType]: 415,
  [IngestErrorCode.RateLimited]: 429,
  [IngestErrorCode.Unavailable]: 503,
};

/** An expected refusal of a notification; mapped to the BBOXX error body by the HTTP filter. */
export class IngestError extends Error {
  constructor(
    readonly code: IngestErrorCode,
    readonly description: string,
    readonly errors: FieldError[] = [{ message: description }],
    /** Sent as `Retry-After` (429, 503). */
    readonly retryAfterSeconds?: number,
  ) {
    super(description);
    this.name = 'IngestError';
  }

  get status(): number {
    return STATUS[this.code];
  }
}
