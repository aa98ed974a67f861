/**
 * Files the local runtime creates once and then keeps (the signing key, the indicator key).
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
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${process.pid}.${randomUUID()}`;
  await writeFile(temporary, await create(), { mode: 0o600 });
  try {
    await link(temporary, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    await unlink(temporary);
  }
  return readFile(path, 'utf8');
}
