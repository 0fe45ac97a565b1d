// Many requests in flight, bounded: runs `work` over items with at most `limit` at a time, in any finish order.

/** Calls `work` on every item, at most `limit` at once; resolves when all are done (their errors are theirs to catch). */
export async function forEachBounded<T>(items: Iterable<T> | AsyncIterable<T>, limit: number, work: (item: T) => Promise<void>): Promise<void> {
  const running = new Set<Promise<void>>();
  let failure: { error: unknown } | null = null;
  for await (const item of items) {
    if (failure) break;
    const p: Promise<void> = work(item).catch((error: unknown) => {
      failure ??= { error };
    }).finally(() => running.delete(p));
    running.add(p);
    if (running.size >= limit) await Promise.race(running);
  }
  await Promise.all(running);
  if (failure) throw (failure as { error: unknown }).error;
}
