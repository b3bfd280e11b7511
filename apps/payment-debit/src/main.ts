import { runService } from '@mm/platform';
import { debitService } from './service';

runService(debitService);
