import { describe, expect, it } from 'vitest';
import { affectedVersionSchema } from '../../../src/schemas/issue';

describe('affected versions are Spack specs', () => {
  it.each(['libfabric@2.0.0', 'libfabric@1.20.0:2.1.0', 'nccl@2.19:', 'hdf5@:', 'libfuse@:2.9.9', 'libfabric@main', 'nccl@2.23.4-1'])('accepts %s', (spec) => {
    expect(affectedVersionSchema.safeParse({ spec }).success).toBe(true);
  });

  it.each(['libfabric', 'libfabric 2.0', 'libfabric@2.0 +cuda', 'Libfabric@2', '@2.0', 'libfabric@1:2:3'])('refuses %s', (spec) => {
    expect(affectedVersionSchema.safeParse({ spec }).success).toBe(false);
  });

  it('takes a commit window for a branch build, its end left open while still affected', () => {
    expect(affectedVersionSchema.safeParse({ spec: 'libfabric@main', built_between: ['2024-10-17'] }).success).toBe(true);
    expect(affectedVersionSchema.safeParse({ spec: 'libfabric@main', built_between: ['2024-10-17', '2025-02-30'] }).success).toBe(false);
  });
});
