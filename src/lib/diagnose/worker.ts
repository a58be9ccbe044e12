/**
 * The /diagnose/ page's Web Worker: fetches the signature and text bundle (/diagnose/bundle.json, built
 * from the records) once, compiles it, then diagnoses each pasted text or dropped file off the main
 * thread, so the page never freezes. That one fetch, before the tool says it is ready, is its only
 * network request: logs never leave the browser.
 */
import { compileDiagnoser, type DiagnosableIssue, type Diagnoser, type Diagnosis } from './engine';
import { checkLogSize, checkLogText, decodeLogBytes, LogInputError } from './input';

export type DiagnoseRequest = { type: 'init'; url: string } | { type: 'diagnose'; id: number; text: string } | { type: 'diagnose'; id: number; file: File };

export type DiagnoseResponse =
  | { type: 'ready'; signatures: number; issues: number }
  | { type: 'result'; id: number; diagnosis: Diagnosis; ms: number }
  | { type: 'error'; id?: number; message: string };

const scope = self as unknown as { onmessage: ((e: MessageEvent<DiagnoseRequest>) => void) | null; postMessage(m: DiagnoseResponse): void };
let diagnoser: Diagnoser | undefined;

async function textOf(request: Extract<DiagnoseRequest, { type: 'diagnose' }>): Promise<string> {
  if ('text' in request) return checkLogText(request.text);
  checkLogSize(request.file.size); // before reading, so a huge file is never loaded
  return decodeLogBytes(new Uint8Array(await request.file.arrayBuffer()));
}

scope.onmessage = async ({ data: request }) => {
  if (request.type === 'init') {
    try {
      const response = await fetch(request.url);
      if (!response.ok) throw new Error(`the signatures could not be loaded (${response.status} ${response.statusText})`);
      const issues = (await response.json()) as DiagnosableIssue[];
      diagnoser = compileDiagnoser(issues);
      scope.postMessage({ type: 'ready', signatures: diagnoser.signatureCount, issues: issues.length });
    } catch (err) {
      scope.postMessage({ type: 'error', message: `The signatures could not be loaded: ${(err as Error).message}` });
    }
    return;
  }
  const { id } = request;
  if (!diagnoser) return scope.postMessage({ type: 'error', id, message: 'the signatures are not loaded yet' });
  try {
    const text = await textOf(request);
    const start = performance.now();
    const diagnosis = diagnoser.diagnose(text);
    scope.postMessage({ type: 'result', id, diagnosis, ms: performance.now() - start });
  } catch (err) {
    if (!(err instanceof LogInputError)) throw err;
    const what = 'file' in request ? request.file.name : 'The pasted text';
    scope.postMessage({ type: 'error', id, message: `${what} ${err.message}` });
  }
};
