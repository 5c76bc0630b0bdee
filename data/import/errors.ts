/** One problem in an import file; `line` is the 1-based physical line (1 = header). */
export interface ImportIssue {
  file: string;
  line: number;
  /** The column at fault, when there is one. */
  column?: string;
  message: string;
}

export function formatIssue(issue: ImportIssue): string {
  return `${issue.file}:${issue.line}: ${issue.column ? `column "${issue.column}": ` : ''}${issue.message}`;
}

/** Thrown when any file has any problem; nothing was written. `.issues` lists them all. */
export class ImportValidationError extends Error {
  readonly code = 'import.invalid';
  constructor(readonly issues: ImportIssue[]) {
    const shown = issues.slice(0, 20).map(formatIssue);
    if (issues.length > shown.length) shown.push(`… and ${issues.length - shown.length} more`);
    super(`import rejected, nothing was written: ${issues.length} problem${issues.length === 1 ? '' : 's'}\n${shown.join('\n')}`);
    this.name = 'ImportValidationError';
  }
}
