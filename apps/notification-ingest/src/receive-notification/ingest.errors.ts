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

/** An expected refusal of a notification; the HTTP filter maps its code to a status and the BBOXX error body. */
export class IngestError extends Error {
  constructor(
    readonly code: IngestErrorCode,
    readonly description: string,
    readonly errors: FieldError[] = [{ message: description }],
    /** How long to wait before retrying (RateLimited, Unavailable); sent as `Retry-After` over HTTP. */
    readonly retryAfterSeconds?: number,
  ) {
    super(description);
    this.name = 'IngestError';
  }
}
