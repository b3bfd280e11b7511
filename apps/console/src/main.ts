import { runService } from '@mm/platform';
import { consoleService } from './service';

runService(consoleService);
