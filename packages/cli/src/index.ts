export { readToEnd } from './kafka';
