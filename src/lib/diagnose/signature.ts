/**
 * Compiles issue signatures with RE2 semantics (re2js): matching is linear in the input, so no
 * pasted log can make the diagnosis hang. A pattern RE2 rejects (backreferences, lookaround) is an error.
 */
import { RE2JS } from 're2js';
import type { Signature } from '../../schemas/issue';
import { normalizeLine } from './log-normalize';

export interface CompiledSignature {
  signature: Signature;
  /** The signature as an RE2 pattern (a `text` signature is quoted). */
  pattern: string;
  /** True when the line contains the evidence. Linear in the line length. */
  test(line: string): boolean;
  /** The evidence as it reads in the line (the first match), or undefined. Linear in the line length. */
  find(line: string): string | undefined;
}

/** The RE2 pattern of a signature: `text` is matched literally, `regex` as written. */
export function signaturePattern(signature: Signature): string {
  return signature.text !== undefined ? RE2JS.quote(signature.text) : signature.regex!;
}

export function compileSignature(signature: Signature): CompiledSignature {
  const pattern = signaturePattern(signature);
  if (signature.text !== undefined) {
    const needle = signature.text;
    return { signature, pattern, test: (line) => line.includes(needle), find: (line) => (line.includes(needle) ? needle : undefined) };
  }
  const re = RE2JS.compile(pattern);
  return {
    signature,
    pattern,
    test: (line) => re.matcher(line).find(),
    find: (line) => {
      const m = re.matcher(line);
      return m.find() ? (m.group() ?? '') : undefined;
    },
  };
}

/** The field a signature's problem is reported on. */
export function signatureField(signature: Signature): 'text' | 'regex' {
  return signature.text !== undefined ? 'text' : 'regex';
}

/** The text a regex matches when it is a plain literal (only escaped punctuation), else undefined. */
function literalOf(regex: string): string | undefined {
  if (!/^(?:[^\\.+*?()|[\]{}^$]|\\[^\w\s])*$/.test(regex)) return undefined;
  return regex.replace(/\\([^\w\s])/g, '$1');
}

/** The reason text cannot appear in a normalized log line, or undefined when it can. */
function normalizationProblem(text: string): string | undefined {
  const normalized = normalizeLine(text);
  if (normalized === text) return undefined;
  return `never matches a normalized log line; write it as it reads after normalization: "${normalized}"`;
}

/**
 * True when the regex can match without consuming a character (`(?:)`, `x*`, `a|`, `\b`): such a
 * signature matches nearly every line, so it is evidence of nothing. Probed on an empty line and
 * on a short one, which covers patterns that match the empty string only at a word boundary.
 */
function matchesEmpty(regex: string): boolean {
  const re = RE2JS.compile(regex);
  if (re.matcher('').find()) return true;
  const m = re.matcher('a b');
  while (m.find()) if (m.start() === m.end()) return true;
  return false;
}

/** The reason a signature can never match or cannot be compiled, or undefined when it is usable. */
export function signatureProblem(signature: Signature): string | undefined {
  const source = signature.text ?? signature.regex ?? '';
  if (source.includes('\n')) return 'must be one line: logs are matched line by line';
  // Logs are normalized before matching, so text that normalization rewrites never appears.
  if (signature.text !== undefined) return normalizationProblem(signature.text);
  try {
    compileSignature(signature);
  } catch (err) {
    return `regex does not compile as RE2: ${(err as Error).message}`;
  }
  if (matchesEmpty(source)) return 'regex matches the empty string, so it would match every line; require at least one character';
  const literal = literalOf(source);
  return literal === undefined ? undefined : normalizationProblem(literal);
}
