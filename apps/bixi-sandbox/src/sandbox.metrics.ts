import { Injectable } from '@nestjs/common';
import { Counter, Registry } from 'prom-client';

@Injectable()
export class SandboxMetrics {
  readonly payRequests: Counter<'behaviour'>;

  constructor(registry: Registry) {
    this.payRequests = new Counter({
      name: 'bixi_sandbox_pay_requests_total',
      help: 'POST /3.0/pay requests received, by the behaviour chosen',
      labelNames: ['behaviour'],
      registers: [registry],
    });
  }
}
