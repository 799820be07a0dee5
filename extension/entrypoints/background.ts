import { defineBackground } from '#imports';
import { startBackground } from '../lib/background/start.ts';

export default defineBackground(() => startBackground());
