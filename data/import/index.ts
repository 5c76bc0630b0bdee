export { importCsvFiles, importCsvTexts, signalItems, type ImportFiles, type ImportOptions, type ImportResult, type SignalItems } from './importer.js';
export { ImportValidationError, formatIssue, type ImportIssue } from './errors.js';
export { FORMATS, type FileKind, type ImportKind } from './formats.js';
export { parseCsv } from '../formats/csv.js';
export type { ImportText } from './validate.js';
export { toCsv, FILE_NAMES } from './write.js';
export { DEFAULT_MARGIN, DEFAULT_WINDOW_WEEKS, wildcardMatcher, type DefaultsReport, type MarginRule, type UncoveredCategory } from './defaults.js';
