import { ConflictException, ForbiddenException, HttpException, NotFoundException, UnprocessableEntityException } from '@nestjs/common';
import { CorrectionError, type CorrectionErrorCode } from '../corrections';

const STATUS: Record<CorrectionErrorCode, (message: string) => HttpException> = {
  NOT_FOUND: (m) => new NotFoundException(m),
  ORIGINAL_NOT_FOUND: (m) => new UnprocessableEntityException(m),
  NOT_CORRECTABLE: (m) => new UnprocessableEntityException(m),
  CURRENCY_MISMATCH: (m) => new UnprocessableEntityException(m),
  EXCEEDS_REMAINING: (m) => new ConflictException(m),
  OWN_PROPOSAL: (m) => new ForbiddenException(m),
  ALREADY_DECIDED: (m) => new ConflictException(m),
};

/** Runs a correction use case, answering its domain refusals with their HTTP status (the shared error body). */
export async function correctionHttpError<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof CorrectionError) throw STATUS[error.code](error.message);
    throw error;
  }
}
