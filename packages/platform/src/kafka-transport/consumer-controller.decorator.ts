import { applyDecorators, Catch, Controller, UseFilters, type RpcExceptionFilter } from '@nestjs/common';
import { throwError, type Observable } from 'rxjs';

/**
 * Hands a handler's error to the transport as it was thrown. Nest's default RPC filter would replace it with
 * `{ status: 'error', message: 'Internal server error' }`, losing the SQLSTATE the transport classifies by.
 */
@Catch()
export class RethrowToTransportFilter implements RpcExceptionFilter<unknown> {
  catch(exception: unknown): Observable<never> {
    return throwError(() => exception);
  }
}

/** `@Controller()` for Kafka handlers (`@EventPattern` methods) on `KafkaConsumerServer`. */
export const ConsumerController = (): ClassDecorator => applyDecorators(Controller(), UseFilters(new RethrowToTransportFilter()));
