import {
  ApiZodQuery,
  ApiZodResponse,
  OperatorActionPageSchema,
  operatorActionsPage,
  OperatorActionsQuerySchema,
  Operators,
} from '@mm/platform';
import { Controller, Get, Query } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { OperatorApiDocs } from './corrections.docs';

/** The ledger's operator audit trail (who did what, when, why), newest first: platform's one reading of it. */
@Controller('v1/operator-actions')
@OperatorApiDocs('operator-actions')
export class OperatorActionsController {
  constructor(private readonly dataSource: DataSource) {}

  @Get()
  @Operators('viewer', 'maker', 'checker')
  @ApiZodQuery(OperatorActionsQuerySchema)
  @ApiZodResponse(200, 'a page of operator actions, newest first', OperatorActionPageSchema)
  list(@Query() query: unknown) {
    return operatorActionsPage(this.dataSource, query);
  }
}
