/** Shared test fixtures: R datasets and the M4 weekly dev files (../shared/data). */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// R: as.numeric(WWWusage)
export const www = [88, 84, 85, 85, 84, 85, 83, 85, 88, 89, 91, 99, 104, 112, 126, 138, 146, 151, 150, 148, 147, 149, 143, 132, 131, 139, 147, 150, 148, 145, 140, 134, 131, 131, 129, 126, 126, 132, 137, 140, 142, 150, 159, 167, 170, 171, 172, 172, 174, 175, 172, 172, 174, 174, 169, 165, 156, 142, 131, 121, 112, 104, 102, 99, 99, 95, 88, 84, 84, 87, 89, 88, 85, 86, 89, 91, 91, 94, 101, 110, 121, 135, 145, 149, 156, 165, 171, 175, 177, 182, 193, 204, 208, 210, 215, 222, 228, 226, 222, 220];
// R: as.numeric(USAccDeaths)
export const usAccDeaths = [9007, 8106, 8928, 9137, 10017, 10826, 11317, 10744, 9713, 9938, 9161, 8927, 7750, 6981, 8038, 8422, 8714, 9512, 10120, 9823, 8743, 9129, 8710, 8680, 8162, 7306, 8124, 7870, 9387, 9556, 10093, 9620, 8285, 8466, 8160, 8034, 7717, 7461, 7767, 7925, 8623, 8945, 10078, 9179, 8037, 8488, 7874, 8647, 7792, 6957, 7726, 8106, 8890, 9299, 10625, 9302, 8314, 8850, 8265, 8796, 7836, 6892, 7791, 8192, 9115, 9434, 10484, 9827, 9110, 9070, 8633, 9240];
const here = dirname(fileURLToPath(import.meta.url));
export const m4Dir = join(here, '..', '..', '..', '..', 'shared', 'data', 'm4-weekly-dev');

export function readM4(file: string): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const line of readFileSync(join(m4Dir, file), 'utf8').trim().split('\n').slice(1)) {
    const [id, ...vals] = line.trim().split(',');
    out.set(id, vals.filter((v) => v !== '').map(Number));
  }
  return out;
}

