// Each model warning's stable code, its parameters and its severity. The models write English lines
// (their own commands print them as they are); a coupled run recognises each line here, once, so
// the app can say it in the trainer's language from one table (web/i18n-model-warnings.ts) and can
// tell a true warning (the results may be inexact) from information (the model did something the
// user may want to know of, with no loss of accuracy). The English `what` is kept as written.
//
// Parameters are the numbers and names in the line, as the model wrote them ("25.7143" stays
// 25.7143, "0.00100" stays a string, so a rendering gives back the same digits).

export type WarningSeverity = 'info' | 'warning';
export type WarningParams = Record<string, string | number>;

interface CodeRule {
  code: string;
  /** The text after `reach <id>: ` / `basin <id>: `, whole; named groups become params. */
  pattern: RegExp;
  severity: WarningSeverity | ((params: WarningParams) => WarningSeverity);
}

// The Muskingum lines end with what the router did about the condition (route-plan.ts's `done`):
// a split or sub-steps that meet 2·K·X ≤ Δt ≤ 2·K·(1−X) resolve it; the advice alone means it was
// routed as given. `remedy` names which, so the app renders the tail from its own table entry.
const REMEDIES: { remedy: string; pattern: RegExp }[] = [
  { remedy: 'split_or_smaller_x', pattern: /^; use a smaller X or split the reach$/ },
  { remedy: 'smaller_dt', pattern: /^; use a smaller dt_s$/ },
  { remedy: 'subreaches_attenuation', pattern: /^; routed as (?<n>\d+) sub-reaches of K = (?<k_s>\S+) s, X = (?<x>\S+) \(lag K kept, attenuation K²\(1−2X\) kept\)$/ },
  { remedy: 'subreaches', pattern: /^; routed as (?<n>\d+) sub-reaches of K = (?<k_s>\S+) s, X = (?<x>\S+) \(lag K kept\)$/ },
  { remedy: 'substeps', pattern: /^; routed in (?<substeps>\d+) sub-steps of (?<sub_dt_s>\S+) s$/ },
];
export const REMEDY_CODES = REMEDIES.map((r) => r.remedy);
/** Only the advice without a split or sub-steps leaves the coefficient negative in the routing itself. */
const resolvedByRemedy = (p: WarningParams): WarningSeverity => (p.remedy === 'split_or_smaller_x' || p.remedy === 'smaller_dt' ? 'warning' : 'info');

const RULES: CodeRule[] = [
  // Info: every reach met its stability bound at the sub-step (Δt ≤ 2·K·(1−X), C − D ≤ 1); the
  // outflows are the scheme's, only the inflows between coupling steps are interpolated linearly.
  { code: 'flood.substeps', severity: 'info', pattern: /^the network was routed in (?<substeps>\d+) sub-steps of (?<sub_dt_s>\S+) s \(inflows interpolated linearly\) so that Δt ≤ 2·K·\(1−X\) in every Muskingum reach and C − D ≤ 1 in every Muskingum–Cunge reach at its highest flow; outflows are reported at dt_s$/ },
  // Warning: the sub-step hit the cap with some reach still unstable, so outflows may oscillate.
  { code: 'flood.substeps_capped', severity: 'warning', pattern: /^no sub-step of dt_s down to 1\/(?<max>\d+) meets every reach's conditions; routing with (?<substeps>\d+) sub-steps of (?<sub_dt_s>\S+) s \(inflows interpolated linearly; outflows are reported at dt_s\)$/ },
  // Warning: this reach is routed beyond its stability limit.
  { code: 'flood.reach_unstable_capped', severity: 'warning', pattern: /^C − D > 1 at its highest flow even unsplit: stable only for steps ≤ (?<stable_s>\S+) s, routed with (?<sub_dt_s>\S+) s \((?<substeps>\d+) sub-steps, the cap\), so its outflow may oscillate; lengthen or merge the reach, or route with a shorter dt_s$/ },
  // Warning: more reaches unstable, unnamed.
  { code: 'flood.more_unstable', severity: 'warning', pattern: /^… and (?<count>\d+) more reaches unstable at the capped sub-step$/ },
  // Info when a split or sub-steps resolve the negative coefficient, warning when routed as given.
  { code: 'flood.muskingum_c0_negative', severity: resolvedByRemedy, pattern: /^dt_s = (?<dt_s>\S+) < 2·K·X = (?<two_kx_s>\S+) s, so C0 = (?<c0>\S+) < 0 and outflow can dip below zero(?<tail>.*)$/ },
  { code: 'flood.muskingum_c2_negative', severity: resolvedByRemedy, pattern: /^dt_s = (?<dt_s>\S+) > 2·K·\(1−X\) = (?<two_k_one_minus_x_s>\S+) s, so C2 = (?<c2>\S+) < 0 and outflow can oscillate(?<tail>.*)$/ },
  // Info: the sub-step alone would break 2·K·X ≤ Δt; the split that follows restores it.
  { code: 'flood.muskingum_substep_split', severity: resolvedByRemedy, pattern: /^the network's sub-step of (?<sub_dt_s>\S+) s is < 2·K·X = (?<two_kx_s>\S+) s(?<tail>.*)$/ },
  // Warning: Péclet > 2 or negative Crank–Nicolson weights make the diffusive wave oscillate.
  { code: 'flood.diffusive_peclet', severity: 'warning', pattern: /^diffusive wave on (?<cells>\d+) cells has a cell Péclet number cΔx\/D = (?<peclet>\S+) > 2 \(D = (?<diffusivity_m2_per_s>\S+) m²\/s, c = (?<celerity_m_per_s>\S+) m\/s\): the outflow may oscillate$/ },
  { code: 'flood.diffusive_weight', severity: 'warning', pattern: /^dt_s would need more than (?<max>\d+) diffusive-wave sub-steps for non-negative Crank–Nicolson weights \(largest (?<weight>\S+) > 1\): the outflow may oscillate$/ },
  // Warning: C + D < 1 at low flow lets the Muskingum–Cunge outflow dip (below zero at worst; the
  // shipped storms' "outflow fell below zero" comes from these reaches), capped split or not.
  { code: 'flood.channel_subreaches_capped', severity: 'warning', pattern: /^C \+ D ≥ 1 at its lowest flow would need more than (?<max>\d+) sub-reaches; using (?<used>\d+), so the outflow may dip at low flow$/ },
  { code: 'flood.channel_low_flow_dip', severity: 'warning', pattern: /^split into (?<n>\d+) sub-reaches, as many as stability allows \(C − D ≤ 1 at its highest flow\); C \+ D < 1 at its lowest flow, so the outflow may dip there$/ },
  // Warning: no split meets the Muskingum conditions; routed as given.
  { code: 'flood.muskingum_unsplittable', severity: 'warning', pattern: /^no split into ≤ (?<max_subreaches>\d+) sub-reaches and ≤ (?<max_substeps>\d+) sub-steps meets 2·K·X ≤ Δt ≤ 2·K·\(1−X\); routed as given$/ },
  // Warning: the reach lines left out may be warnings; the line cannot say they are not.
  { code: 'flood.more_reach_lines', severity: 'warning', pattern: /^… and (?<count>\d+) more reach warnings like these$/ },
  // Warning: outflows below zero are not physical.
  { code: 'flood.negative_outflow', severity: 'warning', pattern: /^outflow fell below zero at (?<reach_steps>\d+) reach-steps \(minimum (?<min_m3_per_s>\S+) m³\/s\): see the coefficient warnings$/ },
  // Warning: channel parameters from an unconverged depth.
  { code: 'flood.depth_unconverged', severity: 'warning', pattern: /^the normal-depth solve did not converge (?<count>\d+) times; parameters there use the last iterate$/ },
  // Warning: missing rain taken as none.
  { code: 'flood.basin_rain_short', severity: 'warning', pattern: /^rain_mm has (?<given>\d+) steps of (?<steps>\d+); the rest taken as 0$/ },
  // Warning: flatter reaches would give a deeper floodplain than the floor lets (inundation.ts).
  { code: 'flood.floodplain_slope_floor', severity: 'warning', pattern: /^reaches over their banks flatter than (?<floor>\S+): (?<reaches>\d+) \((?<ids>.+)\); their floodplain depth was computed at slope \S+ \((?<cells>\d+) wetted cells\), so it may be too shallow there$/ },

  // Warning: a clamp; the slope is steeper than the model's range and its FS is that of 60°.
  { code: 'landslide.slope_clamped', severity: 'warning', pattern: /^ground slope (?<slope_deg>\S+)° is steeper than the model's (?<max_deg>\d+)°: run at \d+°$/ },
  { code: 'landslide.blocks_clamped', severity: 'warning', pattern: /^(?<blocks>\d+) blocks steeper than (?<max_deg>\d+)° on average were run at \d+°, the steepest the model takes$/ },
  // Warning: a whole product (the slope grid) is skipped.
  { code: 'landslide.no_slope_grid', severity: 'warning', pattern: /^the slope grid runs on hourly rain, so it needs a step_s that divides 3600 s and a run of an hour or more \(got (?<step_s>\d+) s over (?<duration_s>\d+) s\): this run has no slope grid, only the monitored slopes$/ },
  // Info: flat ground does not slide; its FS is unbounded, so NODATA loses no answer.
  { code: 'landslide.flat_cells', severity: 'info', pattern: /^(?<cells>\d+) flat cells \(slope below 1e-6°\) have no infinite-slope factor of safety: written as NODATA$/ },

  // Warning: the first wind is assumed for the time before it, which the input did not give.
  { code: 'fire.wind_before_first', severity: 'warning', pattern: /^\$\.wind\.series\[(?<index>\d+)\] starts at t_s (?<t_s>\S+): its wind also blows before then$/ },
  // Warning: missing data taken as unburnable or flat.
  { code: 'fire.nodata_fuel', severity: 'warning', pattern: /^(?<cells>\d+) cells of NODATA fuel do not burn$/ },
  { code: 'fire.nodata_terrain', severity: 'warning', pattern: /^(?<cells>\d+) cells with NODATA slope or elevation are treated as flat$/ },
  // Info: at or above its moisture of extinction a fuel does not spread (Rothermel 1972): physics, not a shortcut.
  { code: 'fire.fuel_too_wet', severity: 'info', pattern: /^fuel models (?<fuels>.+) do not spread at this moisture \(at or above extinction\)$/ },
  // Warning: something the scenario asked for has no effect.
  { code: 'fire.ignition_late', severity: 'warning', pattern: /^(?<path>\$\S+) starts at t_s (?<t_s>\S+), after duration_s (?<duration_s>\S+): it burns nothing$/ },
  { code: 'fire.barrier_outside', severity: 'warning', pattern: /^(?<path>\$\S+) lies wholly outside the grid and blocks nothing$/ },
];

/** A line no rule knows: shown as the model wrote it, counted a warning (nothing says it is harmless). */
export const OTHER_CODE = 'other';

/** Every code a warning can carry (the app's table has each in both languages). */
export const WARNING_CODES: readonly string[] = [...RULES.map((r) => r.code), OTHER_CODE];

/** The named groups of each code's line: the params a rendering may use. */
export function paramNamesOf(code: string): string[] {
  if (code === OTHER_CODE) return ['text'];
  const rule = RULES.find((r) => r.code === code)!;
  const names = [...rule.pattern.source.matchAll(/\(\?<(\w+)>/g)].map((m) => m[1]).filter((n) => n !== 'tail');
  if (rule.pattern.source.includes('(?<tail>')) names.push('remedy', ...new Set(REMEDIES.flatMap((r) => [...r.pattern.source.matchAll(/\(\?<(\w+)>/g)].map((m) => m[1]))));
  return names;
}

function paramValue(text: string): string | number {
  const n = Number(text);
  return text !== '' && String(n) === text ? n : text;
}

function paramsOf(groups: Record<string, string | undefined> | undefined): WarningParams {
  const params: WarningParams = {};
  for (const [name, value] of Object.entries(groups ?? {})) if (value !== undefined) params[name] = paramValue(value);
  return params;
}

/** The code, params and severity of one model line (`what`, after its place is taken off). */
export function classify(what: string): { code: string; severity: WarningSeverity; params: WarningParams } {
  for (const rule of RULES) {
    const m = what.match(rule.pattern);
    if (!m) continue;
    const params = paramsOf(m.groups);
    if ('tail' in params) {
      const tail = String(params.tail);
      delete params.tail;
      const remedy = REMEDIES.map((r) => ({ r, m: tail.match(r.pattern) })).find((x) => x.m);
      if (!remedy) continue; // a tail no remedy knows: the whole line falls to `other`
      Object.assign(params, { remedy: remedy.r.remedy }, paramsOf(remedy.m!.groups));
    }
    return { severity: typeof rule.severity === 'function' ? rule.severity(params) : rule.severity, code: rule.code, params };
  }
  return { severity: 'warning', code: OTHER_CODE, params: { text: what } };
}
