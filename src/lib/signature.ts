/**
 * Compiles issue signatures with RE2 semantics (re2js): matching is linear in the input, so no
 * pasted log can make the diagnosis hang. A pattern RE2 rejects (backreferences, lookaround) is an error.
 */
import { RE2JS } from 're2js';
import type { Signature } from '../schemas/issue';

export interface CompiledSignature {
  signature: Signature;
  /** True when the line contains the evidence. Linear in the line length. */
  test(line: string): boolean;
}

export function compileSignature(signature: Signature): CompiledSignature {
  if (signature.text !== undefined) {
    const needle = signature.text;
    return { signature, test: (line) => line.includes(needle) };
  }
  const re = RE2JS.compile(signature.regex!);
  return { signature, test: (line) => re.matcher(line).find() };
}

/** The reason a signature cannot be compiled, or undefined when it compiles. */
export function signatureProblem(signature: Signature): string | undefined {
  try {
    compileSignature(signature);
    return undefined;
  } catch (err) {
    return `regex does not compile as RE2: ${(err as Error).message}`;
  }
}
