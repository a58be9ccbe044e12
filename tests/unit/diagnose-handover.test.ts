import { describe, expect, it } from 'vitest';
import { handOver, takeHandOver } from '../../src/lib/diagnose/handover';

describe('hand-over to /diagnose/', () => {
  it('hands one text over, taken once', () => {
    const store = new Map<string, string>();
    const storage = {
      getItem: (k: string) => store.get(k) ?? null,
      setItem: (k: string, v: string) => void store.set(k, v),
      removeItem: (k: string) => void store.delete(k),
    };
    expect(takeHandOver(storage)).toBeUndefined();
    handOver(storage, 'cxil_map: write error');
    expect(takeHandOver(storage)).toBe('cxil_map: write error');
    expect(takeHandOver(storage)).toBeUndefined();
  });
});
