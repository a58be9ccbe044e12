/**
 * <diagnose-tool>: the behaviour of DiagnoseTool.astro, as Starlight's <starlight-toc> is TableOfContents'.
 * The engine runs in a Web Worker (src/lib/diagnose/worker.ts), which fetches the signature and text bundle
 * (/diagnose/bundle.json) itself, so neither the engine nor the records weigh on this page's own load.
 * Results are built with textContent only: nothing from a log or a record is parsed as HTML here.
 */
import type { DiagnoseRequest, DiagnoseResponse } from '../../lib/diagnose/worker';
import type { Diagnosis, DiagnosisMatch, Evidence, MatchedLine } from '../../lib/diagnose/engine';
import { codeSpans } from '../../lib/diagnose/code-spans';
import { takeHandOver } from '../../lib/diagnose/handover';
import { logTooLargeError } from '../../lib/diagnose/input';
import { MAX_LOG_BYTES } from '../../lib/diagnose/limits';

function el<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, className?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

/** The site search's result for a line, as plain text (Pagefind's excerpt is HTML; only its text is kept). */
interface SearchHit {
  url: string;
  title: string;
  excerpt: string;
}

/** Pagefind, loaded on demand from the built site (absent under `astro dev`). */
async function searchSite(query: string): Promise<SearchHit[]> {
  const pagefind = await import(/* @vite-ignore */ `${import.meta.env.BASE_URL.replace(/\/$/, '')}/pagefind/pagefind.js`);
  const search = await pagefind.search(query);
  const data = await Promise.all(search.results.slice(0, 5).map((r: { data: () => Promise<unknown> }) => r.data()));
  // DOMParser builds an inert document: no script runs and nothing loads, whatever the excerpt holds.
  const text = (html: string) => new DOMParser().parseFromString(html, 'text/html').body.textContent ?? '';
  return (data as { url: string; meta?: { title?: string }; excerpt: string }[]).map((d) => ({
    url: d.url,
    title: d.meta?.title ?? d.url,
    excerpt: text(d.excerpt),
  }));
}

export class DiagnoseTool extends HTMLElement {
  private readonly form = this.querySelector<HTMLFormElement>('.diagnose-form')!;
  private readonly textarea = this.form.querySelector<HTMLTextAreaElement>('textarea')!;
  private readonly fileInput = this.form.querySelector<HTMLInputElement>('input[type=file]')!;
  private readonly status = this.form.querySelector<HTMLElement>('.diagnose-status')!;
  private readonly results = this.querySelector<HTMLElement>('.diagnose-results')!;
  private readonly worker = new Worker(new URL('../../lib/diagnose/worker.ts', import.meta.url), { type: 'module' });
  private latest = 0;
  /** Settles once the issue details are in this element (or could not be fetched: matches then show without them). */
  private details: Promise<void> = Promise.resolve();
  private debounce: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    super();
    this.worker.addEventListener('message', ({ data }: MessageEvent<DiagnoseResponse>) => void this.receive(data));
    this.post({ type: 'init', url: this.dataset.bundle! });
    this.details = this.loadDetails();
    this.form.addEventListener('submit', (e) => {
      e.preventDefault();
      clearTimeout(this.debounce);
      this.diagnose({ text: this.textarea.value });
    });
    this.textarea.addEventListener('input', () => {
      clearTimeout(this.debounce);
      if (this.textarea.value.trim()) this.debounce = setTimeout(() => this.diagnose({ text: this.textarea.value }), 300);
    });
    this.textarea.addEventListener('paste', (e) => this.refuseOversize(e, e.clipboardData));
    this.fileInput.addEventListener('change', () => {
      const file = this.fileInput.files?.[0];
      if (file) this.diagnoseFile(file);
    });
    this.textarea.addEventListener('dragover', (e) => e.preventDefault());
    this.textarea.addEventListener('drop', (e) => {
      const file = e.dataTransfer?.files[0];
      if (!file) return this.refuseOversize(e, e.dataTransfer);
      e.preventDefault();
      this.textarea.value = '';
      this.diagnoseFile(file);
    });
    this.form.addEventListener('reset', () => {
      this.latest += 1;
      this.results.replaceChildren();
      this.results.hidden = true;
      this.setStatus('Ready.', 'ready');
    });
  }

  private post(message: DiagnoseRequest) {
    this.worker.postMessage(message);
  }

  private setStatus(text: string, state?: string) {
    this.status.textContent = text;
    if (state) this.form.dataset.state = state;
  }

  private showError(message: string) {
    this.latest += 1;
    this.results.replaceChildren();
    this.results.hidden = true;
    this.setStatus(message, 'error');
  }

  /**
   * Pasted or dropped text over the limit is refused before the browser inserts it: inserting 50 MiB
   * into a textarea freezes the tab for about a minute. Each UTF-16 unit is at least one UTF-8 byte,
   * so a text longer than the limit in characters is over it in bytes; the worker measures the rest.
   */
  private refuseOversize(e: Event, data: DataTransfer | null) {
    const text = data?.getData('text/plain') ?? '';
    if (text.length <= MAX_LOG_BYTES) return;
    e.preventDefault();
    this.showError(`The ${e.type === 'paste' ? 'pasted' : 'dropped'} text ${logTooLargeError().message}`);
  }

  /** A log pasted on another page (the home page) and handed over in this tab's sessionStorage, diagnosed once. */
  private takeHandedOverLog() {
    let text: string | undefined;
    try {
      text = takeHandOver(sessionStorage);
    } catch {
      return; // storage blocked (privacy settings): nothing was handed over
    }
    if (!text?.trim()) return;
    if (text.length > MAX_LOG_BYTES) return this.showError(`The handed-over text ${logTooLargeError().message}`);
    this.textarea.value = text;
    this.diagnose({ text });
  }

  private diagnoseFile(file: File) {
    // Checked here too, so an oversize file is refused without being handed to the worker.
    if (file.size > MAX_LOG_BYTES) return this.showError(`${file.name} ${logTooLargeError(file.size).message}`);
    this.diagnose({ file });
  }

  private diagnose(request: { text: string } | { file: File }) {
    this.latest += 1;
    this.setStatus('Diagnosing…', 'busy');
    this.post({ type: 'diagnose', id: this.latest, ...request } as DiagnoseRequest);
  }

  /**
   * Fetches /diagnose/details/ and adopts its <template data-issue-details> elements. A parsed document runs no
   * script, and the templates are our own build's output from the records (the same renderer as the issue pages).
   */
  private async loadDetails(): Promise<void> {
    try {
      const response = await fetch(this.dataset.details!);
      if (!response.ok) return;
      const doc = new DOMParser().parseFromString(await response.text(), 'text/html');
      for (const template of doc.querySelectorAll('template[data-issue-details]')) this.append(document.adoptNode(template));
    } catch {
      // Without the details a match still shows its title, link, evidence and confidence.
    }
  }

  private async receive(data: DiagnoseResponse) {
    if (data.type === 'ready') {
      await this.details;
      this.setStatus(`Ready: ${data.signatures} signatures of ${data.issues} issues loaded.`, 'ready');
      return this.takeHandedOverLog();
    }
    if (data.type === 'error') {
      if (data.id !== undefined && data.id !== this.latest) return;
      return this.showError(data.message);
    }
    if (data.id === this.latest) this.render(data.diagnosis, data.ms);
  }

  private renderLines(lines: MatchedLine[], label: string): HTMLElement {
    const list = el('ol', undefined, 'diagnose-lines');
    list.tabIndex = 0; // long lines scroll sideways; keyboard users must reach them too
    list.setAttribute('aria-label', label);
    for (const line of lines) {
      const row = el('li');
      row.append(el('span', String(line.n), 'diagnose-line-number'), el('mark', line.text));
      list.append(row);
    }
    return list;
  }

  private renderEvidence(evidence: Evidence): HTMLElement {
    const item = el('li');
    const { signature } = evidence;
    const label = el('p', undefined, 'diagnose-evidence');
    label.append(el('code', signature.text ?? signature.regex), el('span', ` weight ${signature.weight}`, 'diagnose-weight'));
    if (signature.note) label.append(' — ', ...codeSpans(signature.note).map((part) => el(part.code ? 'code' : 'span', part.text)));
    item.append(label, this.renderLines(evidence.lines, 'Matching log lines'));
    return item;
  }

  private renderMatch(match: DiagnosisMatch, rank: number): HTMLElement {
    const card = el('article', undefined, 'diagnose-match');
    card.dataset.issue = match.id;
    card.dataset.confidence = match.confidence;
    const heading = el('h3');
    const link = el('a', match.title);
    link.href = match.url;
    heading.append(el('span', `${rank}. `));
    if (match.confidence === 'low') heading.append(el('span', 'Possibly: ', 'diagnose-possibly'));
    heading.append(link);
    card.append(heading, el('p', `Confidence ${match.confidence}: ${match.reason}.`, 'diagnose-confidence'));
    const details = this.querySelector<HTMLTemplateElement>(`template[data-issue-details="${CSS.escape(match.id)}"]`);
    if (details) card.append(details.content.cloneNode(true));
    if (match.evidence.length) {
      card.append(el('p', `Evidence (score ${match.score}):`, 'diagnose-score'));
      const list = el('ul', undefined, 'diagnose-evidence-list');
      match.evidence.forEach((e) => list.append(this.renderEvidence(e)));
      card.append(list);
    }
    if (match.text) {
      const words = el('p', 'Words the log shares with this issue: ', 'diagnose-words');
      match.text.terms.forEach((term, i) => words.append(i ? ', ' : '', el('code', term)));
      card.append(words);
      if (!match.evidence.length) card.append(this.renderLines(match.text.lines, 'Log lines with these words'));
    }
    if (match.context) {
      const context = el('p', `Stack context, line ${match.context.n}: `, 'diagnose-context');
      context.append(el('code', match.context.text));
      card.append(context);
    }
    return card;
  }

  private renderSearchResults(box: HTMLElement, line: string) {
    const list = box.querySelector<HTMLElement>('.diagnose-search-results')!;
    list.hidden = false;
    list.replaceChildren(el('p', 'Searching the site…'));
    searchSite(line)
      .then((hits) => {
        list.replaceChildren(
          el('p', hits.length ? `The site search finds ${hits.length} page${hits.length === 1 ? '' : 's'}:` : 'The site search finds no page for this line.'),
        );
        const ul = el('ul');
        for (const hit of hits) {
          const item = el('li');
          const a = el('a', hit.title);
          a.href = hit.url;
          item.append(a, el('p', hit.excerpt, 'diagnose-search-excerpt'));
          ul.append(item);
        }
        if (hits.length) list.append(ul);
      })
      .catch(() => list.replaceChildren(el('p', 'The site search is not available here (it exists only in the built site).')));
  }

  private renderNoMatch(diagnosis: Diagnosis, closest: boolean): HTMLElement {
    const template = this.querySelector<HTMLTemplateElement>('#diagnose-no-match')!;
    const box = template.content.firstElementChild!.cloneNode(true) as HTMLElement;
    box.querySelector('[data-slot="headline"]')!.textContent = closest
      ? 'No known issue matches this log with confidence; the closest records are below, marked "possibly".'
      : 'No known issue matches this log.';
    const suggestion = diagnosis.suggestion;
    if (suggestion) {
      box.querySelector('[data-slot="n"]')!.textContent = String(suggestion.n);
      box.querySelector('[data-slot="text"]')!.textContent = suggestion.text;
      box.querySelectorAll<HTMLElement>('[data-suggestion][hidden]').forEach((n) => (n.hidden = false));
      box.querySelector('[data-action="search"]')!.addEventListener('click', () => this.renderSearchResults(box, suggestion.text));
      box.querySelector('[data-action="dialog"]')!.addEventListener('click', () => openSearchDialog(suggestion.text));
      box.querySelector('[data-action="copy"]')!.addEventListener('click', () => void navigator.clipboard?.writeText(suggestion.text));
    }
    return box;
  }

  private render(diagnosis: Diagnosis, ms: number) {
    this.results.replaceChildren();
    this.results.hidden = false;
    const { matches, lineCount } = diagnosis;
    const high = matches.filter((m) => m.confidence === 'high');
    const low = matches.filter((m) => m.confidence === 'low');
    this.results.append(el('h2', high.length === 1 ? '1 known issue matches' : high.length ? `${high.length} known issues match` : 'No confident match'));
    high.forEach((m, i) => this.results.append(this.renderMatch(m, i + 1)));
    if (!high.length) this.results.append(this.renderNoMatch(diagnosis, low.length > 0));
    if (low.length) {
      this.results.append(el('h2', high.length ? 'Possibly also' : 'Possibly'));
      low.forEach((m, i) => this.results.append(this.renderMatch(m, high.length + i + 1)));
    }
    this.setStatus(`Checked ${lineCount} line${lineCount === 1 ? '' : 's'} in ${Math.round(ms)} ms, in this browser.`, 'done');
  }
}

/** Opens Starlight's search dialog with the line filled in. */
function openSearchDialog(line: string) {
  document.querySelector<HTMLButtonElement>('site-search button[data-open-modal]')?.click();
  // Starlight's search dialog builds its input on open; fill it once it exists.
  const fill = (tries: number) => {
    const input = document.querySelector<HTMLInputElement>('site-search dialog input');
    if (input) {
      input.value = line;
      input.dispatchEvent(new Event('input', { bubbles: true }));
    } else if (tries > 0) setTimeout(() => fill(tries - 1), 100);
  };
  fill(20);
}

customElements.define('diagnose-tool', DiagnoseTool);
