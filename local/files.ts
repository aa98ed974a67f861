/**
 * Files the local runtime creates once and then keeps (the signing key, the indicator key, mail).
 */
import { randomUUID } from 'node:crypto';
import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * The text of `path`, writing `create()` there first if the file does not exist. Two processes
 * may race (tests start several runtimes on one data folder): each writes a file of its own and
 * link()s it into place, link() fails if the file appeared meanwhile, and all read the winner's.
 */
export async function readOrCreateOnce(
  path: string,
  create: () => string | Promise<string>,
): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await createOnce(path, await create());
  return readFile(path, 'utf8');
}

/**
 * Writes `data` to `path` whole, unless a file is there already: written under a name of its own,
 * then link()ed into place, which fails if the file appeared meanwhile. Returns whether this call
 * wrote it. Readers never see half a file.
 */
export async function createOnce(path: string, data: string | Uint8Array): Promise<boolean> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${process.pid}.${randomUUID()}`;
  await writeFile(temporary, data, { mode: 0o600 });
  try {
    await link(temporary, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return false;
  } finally {
    await unlink(temporary);
  }
}
