import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  bytesText,
  parseCatalogue,
  parseRuns,
  performanceUrl,
  referenceBounds,
  referenceShape,
  resultsOf,
  sourceLabel,
  sourceLinks,
} from '../../src/lib/reframe-checks';

const readJson = (path: string): unknown => JSON.parse(readFileSync(path, 'utf8'));
const catalogue = parseCatalogue(readJson('runbooks/reframe/checks.json'));
const references = readJson('runbooks/data/performance-references.json') as {
  systems: Record<string, { checks: Record<string, Record<string, unknown>> }>;
};

describe('runbooks/reframe/checks.json', () => {
  it('lists every check once, each saying what it proves', () => {
    const names = catalogue.checks.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(
      expect.arrayContaining([
        'StoreLinkageAudit',
        'SingleLibcurlAtRuntime',
        'CxiFabricDomains',
        'OsuBandwidthHost',
        'OsuLatencyDevice',
        'NcclAllReduce',
        'NcclSendRecv',
        'MpiTeardownClean',
        'NcclTeardownClean',
      ]),
    );
    for (const check of catalogue.checks) expect(check.proves.length, check.name).toBeGreaterThan(40);
  });

  it('carries the references of performance-references.json unchanged, for every performance check', () => {
    for (const check of catalogue.checks.filter((c) => c.metric !== null)) {
      expect(check.references.length, check.name).toBeGreaterThan(0);
      for (const { system, check: key, ...entry } of check.references) {
        expect(entry, `${check.name} ${system}`).toEqual(references.systems[system].checks[key]);
      }
    }
  });

  it('names the file and the field when it is malformed', () => {
    expect(() => parseCatalogue({ generated_by: 'x', systems: {}, checks: [{ name: 'A' }] }, 'checks.json')).toThrow(/^checks\.json: checks\.0\.file: /);
  });
});

describe('reference wording', () => {
  const ref = { value: 24000, unit: 'MB/s', lower: -0.15, upper: null, nodes: 2, tasks_per_node: 1, message_bytes: 4194304 };
  it('states the bound it applies, with the figure and tolerance it comes from', () => {
    expect(referenceBounds(ref)).toBe('at least 20400 MB/s (24000 MB/s −15 %)');
    expect(referenceBounds({ ...ref, value: 2.3, unit: 'us', lower: null, upper: 0.6 })).toBe('at most 3.68 us (2.3 us +60 %)');
    expect(referenceBounds({ ...ref, value: 150, unit: 'GB/s', lower: -0.1, upper: 0.1 })).toBe('between 135 and 165 GB/s (150 GB/s −10 % +10 %)');
    expect(referenceBounds({ ...ref, lower: null, upper: null })).toBe('24000 MB/s, recorded only (no bound)');
  });
  it('states the topology and message size', () => {
    expect(referenceShape(ref)).toBe('2 nodes × 1 task, 4 MiB messages');
    expect(bytesText(1073741824)).toBe('1 GiB');
    expect(bytesText(256)).toBe('256 B');
    expect(bytesText(1000)).toBe('1000 B');
  });
  it('labels pinned GitHub sources by repository, commit, file and lines', () => {
    expect(
      sourceLabel(
        'https://github.com/eth-cscs/cscs-reframe-tests/blob/2f813557625e1294b277a698338f82f398bea7b8/checks/microbenchmarks/mpi/osu/osu_run.py#L75-L80',
      ),
    ).toBe('eth-cscs/cscs-reframe-tests@2f81355 osu_run.py#L75-L80');
    expect(sourceLinks('https://github.com/o/r/blob/2f813557625e1294b277a698338f82f398bea7b8/a/b.py#L1-L2 and #L9-L12')).toEqual([
      { href: 'https://github.com/o/r/blob/2f813557625e1294b277a698338f82f398bea7b8/a/b.py#L1-L2', label: 'o/r@2f81355 b.py#L1-L2' },
      { href: 'https://github.com/o/r/blob/2f813557625e1294b277a698338f82f398bea7b8/a/b.py#L9-L12', label: 'o/r@2f81355 b.py#L9-L12' },
    ]);
    expect(sourceLinks('tests/reframe/reframe.bats')).toEqual([{ label: 'tests/reframe/reframe.bats' }]);
  });
  it('leaves the message size out where a benchmark has none', () => {
    expect(referenceShape({ nodes: 1, tasks_per_node: 1, message_bytes: null })).toBe('1 node × 1 task');
  });
});

describe('performance results', () => {
  const run = (label: string, date: string, value: number) => ({
    version: 1,
    label,
    date,
    reframe: '4.10.4',
    results: [
      {
        check: 'OsuBandwidthHost',
        partition: 'daint:normal',
        environ: 'network',
        result: 'pass',
        metrics: [{ name: 'bandwidth', value, unit: 'MB/s', reference: 24000, lower: -0.15, upper: null, result: 'pass' }],
      },
    ],
  });
  it("lists a check's results over stack versions, oldest first", () => {
    const runs = parseRuns({ 'b.json': run('v2', '2026-12-02T10:00:00+0000', 23000), 'a.json': run('v1', '2026-11-01T10:00:00+0000', 22000) });
    expect(resultsOf(runs, 'OsuBandwidthHost').map((r) => [r.label, r.value])).toEqual([
      ['v1', 22000],
      ['v2', 23000],
    ]);
    expect(resultsOf(runs, 'NcclAllReduce')).toEqual([]);
  });
  it('names the file and the field of a malformed result', () => {
    expect(() => parseRuns({ 'content/performance/x.json': { ...run('v1', 'd', 1), label: '' } })).toThrow(/^content\/performance\/x\.json: label: /);
  });
  it('has a page per check', () => {
    expect(performanceUrl('OsuBandwidthHost')).toBe('/performance/osubandwidthhost/');
  });
});
