/** Plain-text plan summary for terminals (demo, `launchloop run`). */
export interface PlanView {
  id: number;
  scopeId: string;
  version: number;
  status: string;
  method: string;
  objective: number;
  gap: number | null;
  summary: Record<string, unknown>;
  items: Array<{ candidateId: string; name?: string; launchWeek: string; openingQty: number; expectedUnits: number; unitsLo: number; unitsHi: number; rationale: string[] }>;
}

const money = (v: number) => Math.round(v).toLocaleString('en-US');

export function formatPlan(plan: PlanView, maxRows = 15): string {
  const lines = [
    `Plan ${plan.id} — ${plan.scopeId} v${plan.version} [${plan.status}], ${plan.items.length} launches, ` +
      `expected net margin ${money(plan.objective)} (${plan.method}${plan.gap != null ? `, gap ${(plan.gap * 100).toFixed(2)}%` : ''})`,
  ];
  const rows = [...plan.items].sort((a, b) => a.launchWeek.localeCompare(b.launchWeek) || a.candidateId.localeCompare(b.candidateId));
  const name = (i: PlanView['items'][number]) => (i.name ?? i.candidateId).slice(0, 34);
  lines.push(`  ${'week'.padEnd(10)}  ${'product'.padEnd(34)}  ${'open qty'.padStart(8)}  ${'units (80% interval)'.padEnd(22)}  why`);
  for (const i of rows.slice(0, maxRows)) {
    const units = `${Math.round(i.expectedUnits)} (${Math.round(i.unitsLo)}–${Math.round(i.unitsHi)})`;
    lines.push(`  ${i.launchWeek}  ${name(i).padEnd(34)}  ${String(i.openingQty).padStart(8)}  ${units.padEnd(22)}  ${i.rationale[0] ?? ''}`);
  }
  if (rows.length > maxRows) lines.push(`  … ${rows.length - maxRows} more (GET /plans/${plan.id})`);
  const notLaunched = plan.summary.notLaunched as Array<{ candidateId: string; reason: string }> | undefined;
  if (notLaunched?.length) lines.push(`  not launched: ${notLaunched.length} candidates (e.g. ${notLaunched[0].candidateId}: ${notLaunched[0].reason})`);
  return lines.join('\n');
}
