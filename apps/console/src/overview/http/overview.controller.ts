import { OverviewSchema, type Overview } from '@mm/contracts';
import { ApiErrorResponse, ApiZodResponse } from '@mm/platform';
import { Controller, Get, UseGuards } from '@nestjs/common';
import { CurrentSession, SessionGuard, type ConsoleSession } from '../../sign-in/http/session.guard';
import { OverviewService } from '../overview.service';

@Controller('api/overview')
@UseGuards(SessionGuard)
@ApiErrorResponse(401, 'no session, or it has expired')
export class OverviewController {
  constructor(private readonly overview: OverviewService) {}

  @Get()
  @ApiZodResponse(200, 'the flow at a glance; `unavailable` names each source that could not be read', OverviewSchema)
  get(@CurrentSession() s: ConsoleSession): Promise<Overview> {
    return this.overview.overview(s.operator);
  }
}
