/**
 * <issue-index>: filters the issue index in place and keeps the filter in the URL. The first page of rows is in the
 * HTML; the rest comes from /issues/rows.json the first time a reader filters or asks for every issue. Rows are
 * built with textContent and attributes only, never HTML strings. IssueIndex.astro loads this module on first use.
 */
import { filterToSearch, matchesFilter, parseFilter, parseVersions, type FilterableRow, type IssueFilter } from '../lib/records/issue-filter';
import type { IssueRow, IssueRowsDocument } from '../lib/records/issue-rows';

interface Row {
  element: HTMLTableRowElement;
  data: FilterableRow & { id: string };
}

const FIELDS = ['area', 'package', 'status', 'q', 'versions'] as const;

class IssueIndex extends HTMLElement {
  #rows: Row[] = [];
  #loaded: Promise<void> | undefined;
  #form!: HTMLFormElement;

  connectedCallback() {
    this.#form = this.querySelector('form')!;
    this.#rows = [...this.querySelectorAll<HTMLTableRowElement>('[data-issue-row]')].map((element) => ({ element, data: rowData(element) }));
    // A shared URL sets the filter; otherwise keep what the reader chose while this module was loading.
    const fromUrl = parseFilter(location.search, this.#knownPackages());
    if (filterToSearch(fromUrl)) {
      for (const name of FIELDS)
        this.#field(name).value =
          { area: fromUrl.area, package: fromUrl.package, status: fromUrl.status, q: fromUrl.query, versions: fromUrl.versions }[name] ?? '';
    }
    const initial = this.#current();
    if (filterToSearch(initial)) {
      history.replaceState(null, '', `${location.pathname}${filterToSearch(initial)}`);
      void this.#update(initial);
    }
    const update = () => {
      const filter = this.#current();
      history.replaceState(null, '', `${location.pathname}${filterToSearch(filter)}`);
      void this.#update(filter);
    };
    this.#form.addEventListener('change', update);
    this.#form.addEventListener('input', update);
    this.#form.addEventListener('submit', (e) => e.preventDefault());
  }

  /** Every issue, filtered as the form says (the page's "show all" link calls this). */
  showAll() {
    void this.#update(this.#current());
  }

  #field(name: (typeof FIELDS)[number]): HTMLInputElement {
    return this.#form.elements.namedItem(name) as HTMLInputElement;
  }

  #knownPackages(): string[] {
    return [...(this.#field('package') as unknown as HTMLSelectElement).options].map((o) => o.value).filter(Boolean);
  }

  #current(): IssueFilter {
    const q = new URLSearchParams(Object.fromEntries(FIELDS.map((name) => [name, this.#field(name).value])));
    return parseFilter(`?${q}`, this.#knownPackages());
  }

  /** Loads every row (once), then shows those that match. */
  async #update(filter: IssueFilter) {
    this.#loaded ??= this.#loadAll();
    try {
      await this.#loaded;
    } catch {
      this.#loaded = undefined;
      this.#count().textContent = 'Could not load the other issues; filtering the first page only.';
    }
    let shown = 0;
    for (const { element, data } of this.#rows) {
      const visible = matchesFilter(data, filter);
      element.hidden = !visible;
      if (visible) shown++;
    }
    const invalid = parseVersions(filter.versions).invalid;
    this.#field('versions').setCustomValidity(invalid.length ? `not name@version: ${invalid.join(' ')}` : '');
    this.#count().textContent = `${shown} of ${this.#rows.length} issues${invalid.length ? ` (ignored, not name@version: ${invalid.join(' ')})` : ''}`;
    this.querySelector<HTMLElement>('[data-issue-empty]')!.hidden = shown > 0;
  }

  #count(): HTMLElement {
    return this.querySelector('[data-issue-count]')!;
  }

  async #loadAll() {
    if (this.#rows.length >= Number(this.dataset.total)) return;
    const response = await fetch('/issues/rows.json');
    if (!response.ok) throw new Error(`rows.json: ${response.status}`);
    const doc = (await response.json()) as IssueRowsDocument;
    const have = new Set(this.#rows.map((r) => r.data.id));
    const body = this.querySelector('tbody')!;
    for (const row of doc.rows) {
      if (have.has(row.id)) continue;
      const element = this.#renderRow(row, doc.packageTitles);
      body.append(element);
      this.#rows.push({ element, data: rowData(element) });
    }
    this.querySelector<HTMLElement>('[data-issue-more]')?.remove();
  }

  #renderRow(row: IssueRow, titles: Record<string, string>): HTMLTableRowElement {
    const tr = document.createElement('tr');
    tr.dataset.issueRow = '';
    Object.assign(tr.dataset, { id: row.id, packages: row.packages.join(' '), status: row.status, area: row.area, affected: row.affected.join(' ') });
    const cell = (...children: (Node | string)[]) => {
      const td = document.createElement('td');
      td.append(...children);
      tr.append(td);
    };
    cell(link(`/issues/${encodeURIComponent(row.id)}/`, row.title));
    const badge = this.querySelector<HTMLTemplateElement>(`template[data-status-badge="${row.status}"]`);
    cell(badge ? badge.content.cloneNode(true) : row.status);
    cell(...row.packages.flatMap((id, i) => [...(i ? [', '] : []), link(`/packages/${encodeURIComponent(id)}/`, titles[id] ?? id)]));
    const time = document.createElement('time');
    time.dateTime = row.last_verified;
    time.textContent = row.last_verified;
    cell(time);
    return tr;
  }
}

function link(href: string, text: string): HTMLAnchorElement {
  const a = document.createElement('a');
  a.href = href;
  a.textContent = text;
  return a;
}

function rowData(element: HTMLTableRowElement): FilterableRow & { id: string } {
  const d = element.dataset;
  return {
    id: d.id!,
    packages: d.packages!.split(' '),
    status: d.status!,
    area: d.area!,
    text: `${element.textContent} ${d.id}`.toLowerCase(),
    affected: d.affected!.split(' ').filter(Boolean),
  };
}

customElements.define('issue-index', IssueIndex);
