export { signNotification } from './commands/notify.command';
export { readToEnd } from './kafka';
