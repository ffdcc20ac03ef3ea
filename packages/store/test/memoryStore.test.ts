import { MemoryStore } from '../src';
import { describeStoreContract } from './storeContract';

describeStoreContract('MemoryStore', () => new MemoryStore(), { delete: true, listFolders: true });

describe('MemoryStore', () => {
  it('hands out copies: changing the bytes read changes nothing stored', async () => {
    const store = new MemoryStore();
    const body = Buffer.from('abc');
    await store.put('k', body);
    body[0] = 0x7a;
    (await store.get('k'))[1] = 0x7a;
    expect((await store.get('k')).toString()).toBe('abc');
  });

  it('is named in messages by the location it is given', async () => {
    expect(new MemoryStore().location).toBe('memory');
    await expect(new MemoryStore('s3://bucket/lab').get('x')).rejects.toThrow('no artifact "x" in s3://bucket/lab');
  });
});
