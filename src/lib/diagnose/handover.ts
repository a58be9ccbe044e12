/**
 * Handing a pasted log from another page (the home page) to /diagnose/: one sessionStorage entry, taken once.
 * Pure apart from the Storage it is given; the size limit is the diagnosis's own.
 */
export const DIAGNOSE_HANDOVER_KEY = 'uenv-kb:diagnose-handover';

type KeyValueStore = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

export function handOver(storage: KeyValueStore, text: string): void {
  storage.setItem(DIAGNOSE_HANDOVER_KEY, text);
}

/** The handed-over text, removed from the store so a reload does not diagnose it again. */
export function takeHandOver(storage: KeyValueStore): string | undefined {
  const text = storage.getItem(DIAGNOSE_HANDOVER_KEY);
  storage.removeItem(DIAGNOSE_HANDOVER_KEY);
  return text ?? undefined;
}
