import { defineBackground } from '#imports';
import { startBackground } from '../background/start.ts';

export default defineBackground(() => startBackground());
