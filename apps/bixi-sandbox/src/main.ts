import { runService } from '@mm/platform';
import { sandboxService } from './service';

runService(sandboxService);
