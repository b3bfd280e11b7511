import { runService } from '@mm/platform';
import { ingestService } from './service';

runService(ingestService);
