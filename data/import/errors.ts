/** One problem in an import file; `line` is the 1-based physical line (1 = header). */
export interface ImportIssue {
  file: string;
  line: number;
  /** The column at fault, when there is one. */
  column?: string;
  message: string;
}

export function formatIssue(issue: ImportIssue): string {
  // Line 0 is the file as a whole (unreadable, none given): "f.csv:0:" pointed at no line.
  const where = issue.line > 0 ? `${issue.file}:${issue.line}` : issue.file;
  return `${where}: ${issue.column ? `column "${issue.column}": ` : ''}${issue.message}`;
}

/** How many issues an import keeps: enough to fix a file by, bounded when every row is wrong. */
export const MAX_ISSUES = 1_000;

/** Where validation reports issues: an array, or an `IssueLog` that keeps the first ones. */
export interface IssueSink {
  push(issue: ImportIssue): unknown;
}

/**
 * Keeps the first `limit` issues and counts all of them: a file whose 200k rows are all wrong
 * must not hold 200k messages (nor spread them into one call, which overflows the stack).
 */
export class IssueLog implements IssueSink {
  readonly kept: ImportIssue[] = [];
  total = 0;
  constructor(readonly limit = MAX_ISSUES) {}
  push(issue: ImportIssue): void {
    this.total++;
    if (this.kept.length < this.limit) this.kept.push(issue);
  }
}

/**
 * Thrown when any file has any problem; nothing was written. `.issues` lists the first ones
 * found (at most MAX_ISSUES for an import), `.total` counts them all.
 */
export class ImportValidationError extends Error {
  readonly code = 'import.invalid';
  constructor(
    readonly issues: ImportIssue[],
    readonly total: number = issues.length,
  ) {
    const shown = issues.slice(0, 20).map(formatIssue);
    if (total > shown.length) shown.push(`… and ${total - shown.length} more`);
    super(`import rejected, nothing was written: ${total} problem${total === 1 ? '' : 's'}\n${shown.join('\n')}`);
    this.name = 'ImportValidationError';
  }
}
