// Long mrkdwn bodies become several section blocks (3,000 characters each at most). Cuts fall on
// line boundaries where possible, never inside an entity or a `<…>` token, and a code block that
// spans a cut is closed and reopened so both halves still render as code.
import { Limits, safeMrkdwnCut, truncateMrkdwn } from './text.ts';

const FENCE = '```';
/** Room kept in each chunk for the fence closed at its end and reopened at the next one's start. */
const FENCE_ROOM = FENCE.length * 2 + 2;

/** Split mrkdwn into chunks of at most `max` characters; empty chunks are dropped. */
export function splitMrkdwn(text: string, max: number = Limits.sectionText): string[] {
  const budget = max - FENCE_ROOM;
  const chunks: string[] = [];
  let current = '';
  const flush = () => {
    if (current.trim() !== '') chunks.push(current);
    current = '';
  };
  for (const line of text.split('\n')) {
    const joined = current === '' ? line : `${current}\n${line}`;
    if (joined.length <= budget) {
      current = joined;
      continue;
    }
    flush();
    let rest = line;
    while (rest.length > budget) {
      const cut = wordCut(rest, budget);
      chunks.push(rest.slice(0, cut).trimEnd());
      rest = rest.slice(cut).trimStart();
    }
    current = rest;
  }
  flush();
  return balanceFences(chunks);
}

/** Cut a long line at the last space before `budget`, else at a safe mrkdwn point. */
function wordCut(line: string, budget: number): number {
  const safe = safeMrkdwnCut(line, budget);
  const space = line.lastIndexOf(' ', safe);
  const cut = space > budget / 2 ? space : safe;
  return cut > 0 ? cut : budget; // a single giant token: a hard cut is all that is left
}

function balanceFences(chunks: string[]): string[] {
  let open = false;
  return chunks.map((chunk) => {
    let out = open ? `${FENCE}\n${chunk}` : chunk;
    const fences = chunk.split(FENCE).length - 1;
    if (fences % 2 === 1) open = !open;
    if (open) out = `${out}\n${FENCE}`;
    return out;
  });
}

/**
 * Cut mrkdwn to a total budget, preferring the last line break in the final fifth. Returns the
 * text unchanged when it fits.
 */
export function cutToBudget(text: string, budget: number): { text: string; cut: boolean } {
  if (text.length <= budget) return { text, cut: false };
  const room = budget - 1;
  const newline = text.lastIndexOf('\n', room);
  if (newline > room * 0.8) return { text: `${text.slice(0, newline).trimEnd()}\n…`, cut: true };
  return { text: truncateMrkdwn(text, budget), cut: true };
}
