// Types for .dependency-cruiser.mjs, so architecture/import-fence.test.ts imports it checked.
import type { IConfiguration } from 'dependency-cruiser';
declare const config: IConfiguration;
export default config;
