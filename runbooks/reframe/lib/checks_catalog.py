"""The checks' catalogue for the site (runbooks/reframe/checks.json), from `reframe --describe`.

Usage: checks_catalog.py DESCRIBE.json REPO_ROOT > checks.json (runbooks/reframe/describe.sh runs it).
Each check: its name, file, what a pass proves and when it fails (its docstring), what it selects on,
and for performance checks its references on every system the Alps configuration maps, with the
topology and the source from runbooks/data/performance-references.json.
"""

import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, '..', 'config'))
import stack_references  # noqa: E402


def alps_partitions():
    """{partition fullname: references system} from config/alps.py."""
    import alps
    mapping = {}
    for system in alps.site_configuration['systems']:
        for part in system['partitions']:
            key = part.get('extras', {}).get('performance_references')
            if key:
                mapping[f"{system['name']}:{part['name']}"] = key
    return mapping


def catalogue(described, repo):
    systems = stack_references.load(stack_references.DEFAULT_FILE)
    partitions = alps_partitions()
    used = sorted(set(partitions.values()))
    checks = []
    for rec in sorted(described, key=lambda r: (os.path.relpath(r['@file'], repo), r['display_name'])):
        check = {
            'name': rec['display_name'],
            'file': os.path.relpath(rec['@file'], repo),
            'proves': rec['proves'],
            'details': rec['details'],
            'environments': rec['valid_prog_environs'],
            'partitions': rec['valid_systems'],
            'metric': rec.get('metric'),
            'references': [],
        }
        name = rec.get('reference_name')
        for system in used if name else []:
            found = stack_references.entry(systems, system, name)
            if found is not None:
                check['references'].append({'system': system, 'check': name, **found})
        checks.append(check)
    return {
        'generated_by': 'runbooks/reframe/describe.sh (reframe --describe, config/alps.py, content/recipe/extra/reframe.yaml)',
        'systems': {key: {'description': systems[key]['description'],
                          'partitions': sorted(p for p, k in partitions.items() if k == key)} for key in used},
        'checks': checks,
    }


def main(argv):
    with open(argv[0], encoding='utf-8') as f:
        described = json.load(f)
    json.dump(catalogue(described, os.path.abspath(argv[1])), sys.stdout, indent=2)
    sys.stdout.write('\n')
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
