import { describe, expect, it } from 'vitest';
import { formatIssue } from './errors.js';
import { unreadable } from './importer.js';

describe('an import file that cannot be read', () => {
  it('says why in words, keeping the system code', () => {
    const err = (code: string) => Object.assign(new Error(`${code}: failed`), { code });
    expect(unreadable(err('ENOENT'))).toBe('cannot read the file: no such file (ENOENT)');
    expect(unreadable(err('EACCES'))).toBe('cannot read the file: permission denied (EACCES)');
    expect(unreadable(err('EISDIR'))).toBe('cannot read the file: a directory, not a file (EISDIR)');
    expect(unreadable(err('EMFILE'))).toBe('cannot read the file: EMFILE');
    expect(unreadable(new Error('odd'))).toBe('cannot read the file: odd');
  });

  it('is reported as the file, not as a line 0 of it', () => {
    expect(formatIssue({ file: '/tmp/orders.csv', line: 0, message: 'cannot read the file: no such file (ENOENT)' })).toBe('/tmp/orders.csv: cannot read the file: no such file (ENOENT)');
    expect(formatIssue({ file: 'sales.csv', line: 3, column: 'units', message: '"x" is not a number' })).toBe('sales.csv:3: column "units": "x" is not a number');
  });
});
