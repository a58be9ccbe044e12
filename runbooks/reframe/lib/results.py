"""The performance results of one ReFrame run, as data the site shows (content/performance/*.json).

Usage: results.py REPORT.json LABEL > results.json (run.sh writes OUTPUT/results.json after every run).
REPORT.json is ReFrame's --report-file; LABEL names the stack version (run.sh --label, default the
image's directory name). Only test cases with performance values are kept: one per check, partition
and environment, with each metric's value, unit, reference and bounds, and ReFrame's verdict.
Shape (version 1): {"version": 1, "label", "date", "reframe", "results": [{"check", "partition",
"environ", "result", "metrics": [{"name", "value", "unit", "reference", "lower", "upper", "result"}]}]}
"""

import json
import sys


def results(report, label):
    info = report['session_info']
    kept = []
    for run in report['runs'][-1:]:  # the last run holds each case's final outcome (after --max-retries)
        for case in run['testcases']:
            perf = case.get('perfvalues') or {}
            if not perf:
                continue
            metrics = []
            for key, (value, ref, lower, upper, unit, verdict) in sorted(perf.items()):
                metrics.append({'name': key.rsplit(':', 1)[1], 'value': value, 'unit': unit,
                                'reference': ref or None, 'lower': lower, 'upper': upper, 'result': verdict})
            kept.append({'check': case['display_name'], 'partition': f"{case['system']}:{case['partition']}",
                         'environ': case['environ'], 'result': case['result'], 'metrics': metrics})
    return {'version': 1, 'label': label, 'date': info['time_start'], 'reframe': info['version'], 'results': kept}


def main(argv):
    if len(argv) != 2:
        print('usage: results.py REPORT.json LABEL', file=sys.stderr)
        return 2
    try:
        with open(argv[0], encoding='utf-8') as f:
            report = json.load(f)
    except (OSError, ValueError) as e:
        print(f'ERROR: {argv[0]}: cannot read the ReFrame report: {e}', file=sys.stderr)
        return 2
    json.dump(results(report, argv[1]), sys.stdout, indent=2)
    sys.stdout.write('\n')
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
