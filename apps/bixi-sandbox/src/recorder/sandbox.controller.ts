import { Controller, Delete, Get, Query } from '@nestjs/common';
import { RequestRecorder, type RecordedRequest } from './request-recorder';

const text = (value: unknown): string | undefined => (typeof value === 'string' && value.length <= 128 ? value : undefined);

/** Test-only inspection of what the sandbox received (`GET`) and a reset between scenarios (`DELETE`). */
@Controller('__sandbox/requests')
export class SandboxController {
  constructor(private readonly recorder: RequestRecorder) {}

  @Get()
  list(@Query() query: Record<string, unknown>): { count: number; requests: RecordedRequest[] } {
    const requests = this.recorder.list({
      receiptId: text(query.receiptId),
      accountNumber: text(query.accountNumber),
      requestId: text(query.requestId),
    });
    return { count: requests.length, requests };
  }

  @Delete()
  reset(): { cleared: number } {
    return { cleared: this.recorder.reset() };
  }
}
