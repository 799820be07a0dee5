// Unit tests in the extension get a real IndexedDB implementation (fake-indexeddb) in place of the browser's.
import 'fake-indexeddb/auto';
import { useBundledEncodings } from '@troupe/shared/tokens/bundled';

useBundledEncodings();
