// A line diff by longest common subsequence, for comparing two versions of a flight's source
// code and requirements. Common leading and trailing lines are trimmed first, so the quadratic
// table only covers the changed middle; flight sources are small, and a guard refuses tables
// too big to build in the browser.

const MAX_CELLS = 4_000_000;

/**
 * diffLines("a\nb", "a\nc") → [{op: ' ', text: 'a', a: 1, b: 1}, {op: '-', text: 'b', a: 2}, {op: '+', text: 'c', b: 2}]
 * `a`/`b` are 1-based line numbers in the old/new text. Returns null when the change is too large.
 */
export function diffLines(oldText, newText) {
  const a = splitLines(oldText);
  const b = splitLines(newText);

  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start += 1;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA -= 1;
    endB -= 1;
  }

  const midA = a.slice(start, endA);
  const midB = b.slice(start, endB);
  if ((midA.length + 1) * (midB.length + 1) > MAX_CELLS) return null;

  const ops = [];
  for (let i = 0; i < start; i += 1) ops.push({ op: ' ', text: a[i] });
  ops.push(...lcsOps(midA, midB));
  for (let i = endA; i < a.length; i += 1) ops.push({ op: ' ', text: a[i] });

  // Number the lines on each side.
  let lineA = 0;
  let lineB = 0;
  for (const entry of ops) {
    if (entry.op !== '+') entry.a = ++lineA;
    if (entry.op !== '-') entry.b = ++lineB;
  }
  return ops;
}

// lengths[i][j] = LCS length of a[i..] and b[j..]; walking it forwards yields the edit script
// with deletions before insertions at each change, as unified diffs show them.
function lcsOps(a, b) {
  const n = a.length;
  const m = b.length;
  const width = m + 1;
  const lengths = new Uint32Array((n + 1) * width);
  for (let i = n - 1; i >= 0; i -= 1) {
    for (let j = m - 1; j >= 0; j -= 1) {
      lengths[i * width + j] = a[i] === b[j]
        ? lengths[(i + 1) * width + j + 1] + 1
        : Math.max(lengths[(i + 1) * width + j], lengths[i * width + j + 1]);
    }
  }
  const ops = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      ops.push({ op: ' ', text: a[i] });
      i += 1;
      j += 1;
    } else if (lengths[(i + 1) * width + j] >= lengths[i * width + j + 1]) {
      ops.push({ op: '-', text: a[i] });
      i += 1;
    } else {
      ops.push({ op: '+', text: b[j] });
      j += 1;
    }
  }
  while (i < n) ops.push({ op: '-', text: a[i++] });
  while (j < m) ops.push({ op: '+', text: b[j++] });
  return ops;
}

function splitLines(text) {
  if (text === null || text === undefined || text === '') return [];
  const lines = String(text).replace(/\r\n/g, '\n').split('\n');
  // A final newline does not make an extra empty line.
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/**
 * Groups a diff into hunks with `context` unchanged lines around each change; unchanged runs
 * between hunks are collapsed. Returns [] when nothing changed.
 */
export function hunks(ops, context = 3) {
  const changed = ops.map((entry, index) => (entry.op === ' ' ? -1 : index)).filter((index) => index >= 0);
  if (changed.length === 0) return [];
  const result = [];
  let from = Math.max(0, changed[0] - context);
  let to = Math.min(ops.length - 1, changed[0] + context);
  for (const index of changed.slice(1)) {
    if (index - context <= to + 1) {
      to = Math.min(ops.length - 1, index + context);
    } else {
      result.push(ops.slice(from, to + 1));
      from = index - context;
      to = Math.min(ops.length - 1, index + context);
    }
  }
  result.push(ops.slice(from, to + 1));
  return result;
}

/** "+3 −1" counts for a summary line. */
export function stats(ops) {
  let added = 0;
  let removed = 0;
  for (const entry of ops) {
    if (entry.op === '+') added += 1;
    else if (entry.op === '-') removed += 1;
  }
  return { added, removed };
}
