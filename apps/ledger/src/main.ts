import { runService } from '@mm/platform';
import { ledgerService } from './service';

runService(ledgerService);
