import { MemoryStore } from './memory-store.ts';
import { describeStoreContract } from '../testing/store-contract.ts';

describeStoreContract('memory', async () => new MemoryStore());
