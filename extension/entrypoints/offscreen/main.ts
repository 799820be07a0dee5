// The offscreen document (an unlisted page, built as /offscreen.html): the background creates it on demand.
import { startOffscreen } from '../../offscreen/start.ts';

startOffscreen();
