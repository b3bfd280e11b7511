import { UUID_PATTERN } from '@mm/contracts';
import { ApiErrorResponse, cursorCodec } from '@mm/platform';
import {
  applyDecorators,
  BadRequestException,
  ConflictException,
  ForbiddenException,
  HttpException,
  NotFoundException,
} from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { ResolutionError, type ResolutionErrorCode } from '../resolution-proposal';

/** The tag of an operator controller and the errors every operator route can answer (shared error body). */
export const OperatorApiDocs = (tag: string) =>
  applyDecorators(
    ApiTags(tag),
    ApiErrorResponse(401, 'no operator bearer token, or one that is expired, forged or not for this service'),
    ApiErrorResponse(403, "the token's roles do not allow this route"),
    ApiErrorResponse(500, 'internal error (its text is never sent)'),
  );

export const Uuid = z.string().regex(UUID_PATTERN, 'must be a UUID');

/** Lists newest first: the cursor is the last row's (time, id). */
export const timeIdCursor = (id: z.ZodType<string>) =>
  cursorCodec<{ at: string; id: string }>(
    z.tuple([z.iso.datetime(), id]).transform(([at, key]) => ({ at, id: key })),
    (key) => [key.at, key.id],
  );

const STATUS: Record<ResolutionErrorCode, (message: string) => HttpException> = {
  COMMAND_NOT_FOUND: (m) => new NotFoundException(m),
  PROPOSAL_NOT_FOUND: (m) => new NotFoundException(m),
  NOT_UNKNOWN: (m) => new ConflictException(m),
  OPEN_PROPOSAL: (m) => new ConflictException(m),
  ALREADY_DECIDED: (m) => new ConflictException(m),
  NO_LONGER_UNKNOWN: (m) => new ConflictException(m),
  MONEY_MISMATCH: (m) => new BadRequestException({ message: m, details: [{ field: 'total', message: m }] }),
  OWN_PROPOSAL: (m) => new ForbiddenException(m),
};

/** Runs a use-case step, answering its refusals with their HTTP status. */
export async function answering<T>(step: Promise<T>): Promise<T> {
  try {
    return await step;
  } catch (error) {
    if (error instanceof ResolutionError) throw STATUS[error.code](error.message);
    throw error;
  }
}
