// Opening a CSV file safely before it is streamed: only a regular file, opened without blocking, and only text
// (a binary file is refused before it turns into confusing column errors).
import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { InputError } from '@overfit/core';

/**
 * Open `path` for reading without ever blocking: O_NONBLOCK so a FIFO (whose open waits for a writer) opens at once,
 * then refused with everything else that is not a regular file. The handle is what gets read: no second open, so
 * nothing can swap the file between the check and the read.
 */
export async function openRegularFile(path: string): Promise<{ handle: FileHandle; size: number }> {
  let handle: FileHandle;
  try {
    handle = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'is a directory, not a CSV file'
          : code === 'EACCES' || code === 'EPERM'
            ? 'cannot be read (permission denied)'
            : `cannot be read (${code})`,
      path,
      { cause: error },
    );
  }
  try {
    const stats = await handle.stat();
    if (stats.isDirectory()) throw new InputError('is a directory, not a CSV file', path);
    if (!stats.isFile()) {
      const kind = stats.isFIFO()
        ? 'a named pipe (FIFO)'
        : stats.isSocket()
          ? 'a socket'
          : stats.isCharacterDevice() || stats.isBlockDevice()
            ? 'a device'
            : 'not a regular file';
      throw new InputError(`is ${kind}, not a CSV file: give a regular file`, path);
    }
    return { handle, size: stats.size };
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/** Refuse what is not text before it turns into confusing column errors. */
export async function assertTextFile(path: string, handle: FileHandle, size: number): Promise<void> {
  if (size === 0) throw new InputError('is empty', path);
  const head = Buffer.alloc(Math.min(size, 4096));
  await handle.read(head, 0, head.length, 0);
  const text = new TextDecoder('utf-8', { fatal: false }).decode(head);
  // A cut multi-byte character at the end of the sample is fine; anything else that is not UTF-8 is binary.
  if (head.includes(0) || text.slice(0, -1).includes('\uFFFD'))
    throw new InputError('is a binary file, not CSV text', path);
}
