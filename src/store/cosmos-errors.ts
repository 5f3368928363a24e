/** The HTTP status of a Cosmos SDK error (`code`), or undefined for anything else. */
export const statusOf = (err: unknown): unknown => (err as { code?: unknown } | null)?.code;

/** A write refused because its logical partition is full (20 GB): 403 with substatus 1014, as Azure answers it. */
export const isPartitionFull = (err: unknown): boolean => statusOf(err) === 403 && (err as { substatus?: unknown } | null)?.substatus === 1014;

/** Runs a write and maps one expected status (409 on create, 404 on delete…) to `false`; true when it succeeded. */
export async function succeededUnless(status: number, write: () => Promise<unknown>): Promise<boolean> {
  try {
    await write();
    return true;
  } catch (err) {
    if (statusOf(err) === status) return false;
    throw err;
  }
}

/** A short random pause before retrying a conditional write, so racing writers spread out. */
export const backoff = (attempt: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 5 * (attempt + 1))));
