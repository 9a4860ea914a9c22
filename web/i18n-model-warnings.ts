// The run panel's notice of what the models could not honour exactly (models/scenario/model-warnings.ts),
// and each warning's own text by its code (models/scenario/warning-codes.ts): `{name}` is the
// warning's param, `{@remedy}` the `modelWarningRemedy_<remedy>` entry filled with the same params.
// The English entries give back the models' own lines (`what`, as the CLI prints them).
export const MODEL_WARNING_MESSAGES = {
  modelWarningsTitle: { 'zh-CN': '模型数值警告 {n} 条：结果可能不准确', en: '{n} model warnings: the results may be inexact' },
  modelWarningsNote: { 'zh-CN': '以下为模型在本次计算中无法严格满足的条件（与命令行 sandtable run 输出相同），请核对所指河段或输入。', en: 'What the models could not honour exactly in this run (as `sandtable run` prints them): check the reach or input each names.' },
  modelInfoTitle: { 'zh-CN': '模型说明 {n} 条（不影响结果精度）', en: '{n} model notes (no loss of accuracy)' },
  modelInfoNote: { 'zh-CN': '以下为模型在本次计算中所作的处理，供参考，不影响结果精度。', en: 'What the models did in this run, for reference: the results keep their accuracy.' },
  modelSeverity_warning: { 'zh-CN': '警告', en: 'warning' },
  modelSeverity_info: { 'zh-CN': '说明', en: 'note' },
  // The after-action report's section (web/aar-model-warnings.ts): each run's own lines.
  report_modelWarnings: { 'zh-CN': '模型数值警告与说明（按每次计算）', en: 'Model warnings and notes, run by run' },
  modelWarningsRun: { 'zh-CN': '计算', en: 'Run' },
  modelWarningsKind: { 'zh-CN': '类别', en: 'Kind' },
  modelWarningsModel: { 'zh-CN': '模型', en: 'Model' },
  modelWarningsWhere: { 'zh-CN': '位置', en: 'Where' },
  modelWarningsWhat: { 'zh-CN': '内容', en: 'What' },
  modelWarningsWhatIfLabel: { 'zh-CN': '本次假设推演', en: 'This what-if' },
  modelWarningsBaseRun: { 'zh-CN': '基准推演', en: 'base run' },
  modelWarningsWhatIfRun: { 'zh-CN': '假设推演 {time}（{settings}）', en: 'what-if at {time} ({settings})' },
  modelWarningsRunLeftOut: { 'zh-CN': '另有 {n} 条未记入', en: '{n} more lines not recorded' },
  model_flood: { 'zh-CN': '洪水演算', en: 'flood' },
  model_landslide: { 'zh-CN': '滑坡', en: 'landslide' },
  model_fire: { 'zh-CN': '火灾蔓延', en: 'fire' },
  model_risklist: { 'zh-CN': '风险清单', en: 'risk list' },

  // Places (`where`): a kind word before an id, or a whole place; JSON paths stay as written.
  modelWhere_reach: { 'zh-CN': '河段 {id}', en: 'reach {id}' },
  modelWhere_basin: { 'zh-CN': '子流域 {id}', en: 'basin {id}' },
  modelWhere_slope: { 'zh-CN': '边坡 {id}', en: 'slope {id}' },
  modelWhere_network: { 'zh-CN': '河网', en: 'network' },
  modelWhere_floodplain: { 'zh-CN': '河滩', en: 'floodplain' },
  'modelWhere_slope grid': { 'zh-CN': '坡面网格', en: 'slope grid' },
  'modelWhere_monitored slopes': { 'zh-CN': '监测边坡', en: 'monitored slopes' },
  'modelWhere_region fuel grid': { 'zh-CN': '区域可燃物网格', en: 'region fuel grid' },
  'modelWhere_region DEM': { 'zh-CN': '区域数字高程模型 (DEM)', en: 'region DEM' },
  modelWhere_fire: { 'zh-CN': '火场', en: 'fire' },

  'modelWarning_flood.substeps': {
    'zh-CN': '河网按 {substeps} 个子时段（每段 {sub_dt_s} 秒，入流线性插值）演算，使每个马斯京根河段满足 Δt ≤ 2·K·(1−X)、每个马斯京根–康吉河段在最大流量下满足 C − D ≤ 1；出流仍按 dt_s 输出',
    en: 'the network was routed in {substeps} sub-steps of {sub_dt_s} s (inflows interpolated linearly) so that Δt ≤ 2·K·(1−X) in every Muskingum reach and C − D ≤ 1 in every Muskingum–Cunge reach at its highest flow; outflows are reported at dt_s',
  },
  'modelWarning_flood.substeps_capped': {
    'zh-CN': '将 dt_s 细分至 1/{max} 仍无法满足所有河段的条件；按 {substeps} 个子时段（每段 {sub_dt_s} 秒，入流线性插值；出流按 dt_s 输出）演算',
    en: 'no sub-step of dt_s down to 1/{max} meets every reach\'s conditions; routing with {substeps} sub-steps of {sub_dt_s} s (inflows interpolated linearly; outflows are reported at dt_s)',
  },
  'modelWarning_flood.reach_unstable_capped': {
    'zh-CN': '不分段时最大流量下仍有 C − D > 1：仅当步长 ≤ {stable_s} 秒时稳定，实际按 {sub_dt_s} 秒（{substeps} 个子时段，已达上限）演算，出流可能振荡；请加长或合并该河段，或缩短 dt_s',
    en: 'C − D > 1 at its highest flow even unsplit: stable only for steps ≤ {stable_s} s, routed with {sub_dt_s} s ({substeps} sub-steps, the cap), so its outflow may oscillate; lengthen or merge the reach, or route with a shorter dt_s',
  },
  'modelWarning_flood.more_unstable': { 'zh-CN': '……另有 {count} 个河段在子时段上限下不稳定', en: '… and {count} more reaches unstable at the capped sub-step' },
  'modelWarning_flood.muskingum_c0_negative': {
    'zh-CN': 'dt_s = {dt_s} < 2·K·X = {two_kx_s} 秒，因此 C0 = {c0} < 0，出流可能降至零以下{@remedy}',
    en: 'dt_s = {dt_s} < 2·K·X = {two_kx_s} s, so C0 = {c0} < 0 and outflow can dip below zero{@remedy}',
  },
  'modelWarning_flood.muskingum_c2_negative': {
    'zh-CN': 'dt_s = {dt_s} > 2·K·(1−X) = {two_k_one_minus_x_s} 秒，因此 C2 = {c2} < 0，出流可能振荡{@remedy}',
    en: 'dt_s = {dt_s} > 2·K·(1−X) = {two_k_one_minus_x_s} s, so C2 = {c2} < 0 and outflow can oscillate{@remedy}',
  },
  'modelWarning_flood.muskingum_substep_split': { 'zh-CN': '河网子时段 {sub_dt_s} 秒 < 2·K·X = {two_kx_s} 秒{@remedy}', en: 'the network\'s sub-step of {sub_dt_s} s is < 2·K·X = {two_kx_s} s{@remedy}' },
  modelWarningRemedy_split_or_smaller_x: { 'zh-CN': '；请减小 X 或拆分该河段', en: '; use a smaller X or split the reach' },
  modelWarningRemedy_smaller_dt: { 'zh-CN': '；请减小 dt_s', en: '; use a smaller dt_s' },
  modelWarningRemedy_subreaches_attenuation: {
    'zh-CN': '；已拆为 {n} 个子河段演算（K = {k_s} 秒，X = {x}，保持传播时间 K 与坦化量 K²(1−2X)）',
    en: '; routed as {n} sub-reaches of K = {k_s} s, X = {x} (lag K kept, attenuation K²(1−2X) kept)',
  },
  modelWarningRemedy_subreaches: { 'zh-CN': '；已拆为 {n} 个子河段演算（K = {k_s} 秒，X = {x}，保持传播时间 K）', en: '; routed as {n} sub-reaches of K = {k_s} s, X = {x} (lag K kept)' },
  modelWarningRemedy_substeps: { 'zh-CN': '；已按 {substeps} 个子时段（每段 {sub_dt_s} 秒）演算', en: '; routed in {substeps} sub-steps of {sub_dt_s} s' },
  'modelWarning_flood.diffusive_peclet': {
    'zh-CN': '扩散波在 {cells} 个计算单元上的网格佩克莱数 cΔx/D = {peclet} > 2（D = {diffusivity_m2_per_s} m²/s，c = {celerity_m_per_s} m/s）：出流可能振荡',
    en: 'diffusive wave on {cells} cells has a cell Péclet number cΔx/D = {peclet} > 2 (D = {diffusivity_m2_per_s} m²/s, c = {celerity_m_per_s} m/s): the outflow may oscillate',
  },
  'modelWarning_flood.diffusive_weight': {
    'zh-CN': '要使 Crank–Nicolson 权重非负，dt_s 需细分为超过 {max} 个扩散波子时段（最大权重 {weight} > 1）：出流可能振荡',
    en: 'dt_s would need more than {max} diffusive-wave sub-steps for non-negative Crank–Nicolson weights (largest {weight} > 1): the outflow may oscillate',
  },
  'modelWarning_flood.channel_subreaches_capped': {
    'zh-CN': '最小流量下满足 C + D ≥ 1 需超过 {max} 个子河段；现用 {used} 个，低流量时出流可能出现不真实的下降',
    en: 'C + D ≥ 1 at its lowest flow would need more than {max} sub-reaches; using {used}, so the outflow may dip at low flow',
  },
  'modelWarning_flood.channel_low_flow_dip': {
    'zh-CN': '已拆为 {n} 个子河段（稳定条件 C − D ≤ 1 允许的最多段数）；最小流量下 C + D < 1，低流量时出流可能出现不真实的下降',
    en: 'split into {n} sub-reaches, as many as stability allows (C − D ≤ 1 at its highest flow); C + D < 1 at its lowest flow, so the outflow may dip there',
  },
  'modelWarning_flood.muskingum_unsplittable': {
    'zh-CN': '拆分为 ≤ {max_subreaches} 个子河段、≤ {max_substeps} 个子时段均无法满足 2·K·X ≤ Δt ≤ 2·K·(1−X)；按原参数演算',
    en: 'no split into ≤ {max_subreaches} sub-reaches and ≤ {max_substeps} sub-steps meets 2·K·X ≤ Δt ≤ 2·K·(1−X); routed as given',
  },
  'modelWarning_flood.more_reach_lines': { 'zh-CN': '……另有 {count} 条类似的河段警告', en: '… and {count} more reach warnings like these' },
  'modelWarning_flood.negative_outflow': {
    'zh-CN': '出流在 {reach_steps} 个河段·时步降至零以下（最小 {min_m3_per_s} m³/s）：见各河段的系数警告',
    en: 'outflow fell below zero at {reach_steps} reach-steps (minimum {min_m3_per_s} m³/s): see the coefficient warnings',
  },
  'modelWarning_flood.depth_unconverged': { 'zh-CN': '正常水深求解 {count} 次未收敛；相应参数采用最后一次迭代值', en: 'the normal-depth solve did not converge {count} times; parameters there use the last iterate' },
  'modelWarning_flood.basin_rain_short': { 'zh-CN': 'rain_mm 只有 {given} 个时段（共需 {steps} 个）；其余按 0 计', en: 'rain_mm has {given} steps of {steps}; the rest taken as 0' },
  'modelWarning_flood.floodplain_slope_floor': {
    'zh-CN': '漫滩河段中坡度小于 {floor} 的有 {reaches} 个（{ids}）；其河滩水深按坡度 {floor} 计算（{cells} 个受淹网格），该处水深可能偏浅',
    en: 'reaches over their banks flatter than {floor}: {reaches} ({ids}); their floodplain depth was computed at slope {floor} ({cells} wetted cells), so it may be too shallow there',
  },
  'modelWarning_landslide.slope_clamped': { 'zh-CN': '地面坡度 {slope_deg}° 超过模型上限 {max_deg}°：按 {max_deg}° 计算', en: 'ground slope {slope_deg}° is steeper than the model\'s {max_deg}°: run at {max_deg}°' },
  'modelWarning_landslide.blocks_clamped': { 'zh-CN': '{blocks} 个平均坡度超过 {max_deg}° 的坡块按 {max_deg}°（模型允许的最大坡度）计算', en: '{blocks} blocks steeper than {max_deg}° on average were run at {max_deg}°, the steepest the model takes' },
  'modelWarning_landslide.no_slope_grid': {
    'zh-CN': '坡面网格模型按小时雨量计算，需要 step_s 能整除 3600 秒且推演时长不少于 1 小时（当前 {step_s} 秒，共 {duration_s} 秒）：本次推演没有坡面网格结果，只有监测边坡',
    en: 'the slope grid runs on hourly rain, so it needs a step_s that divides 3600 s and a run of an hour or more (got {step_s} s over {duration_s} s): this run has no slope grid, only the monitored slopes',
  },
  'modelWarning_landslide.flat_cells': { 'zh-CN': '{cells} 个平坦网格（坡度小于 1e-6°）没有无限边坡安全系数：记为 NODATA', en: '{cells} flat cells (slope below 1e-6°) have no infinite-slope factor of safety: written as NODATA' },
  'modelWarning_fire.wind_before_first': { 'zh-CN': '$.wind.series[{index}] 从 t_s {t_s} 开始：此前的时间也按这一风况计算', en: '$.wind.series[{index}] starts at t_s {t_s}: its wind also blows before then' },
  'modelWarning_fire.nodata_fuel': { 'zh-CN': '{cells} 个可燃物为 NODATA 的网格不燃烧', en: '{cells} cells of NODATA fuel do not burn' },
  'modelWarning_fire.nodata_terrain': { 'zh-CN': '{cells} 个坡度或高程为 NODATA 的网格按平地处理', en: '{cells} cells with NODATA slope or elevation are treated as flat' },
  'modelWarning_fire.fuel_too_wet': { 'zh-CN': '可燃物模型 {fuels} 在当前含水率下不蔓延（达到或超过熄灭含水率）', en: 'fuel models {fuels} do not spread at this moisture (at or above extinction)' },
  'modelWarning_fire.ignition_late': { 'zh-CN': '{path} 在 t_s {t_s} 开始，晚于 duration_s {duration_s}：不会燃烧', en: '{path} starts at t_s {t_s}, after duration_s {duration_s}: it burns nothing' },
  'modelWarning_fire.barrier_outside': { 'zh-CN': '{path} 完全位于网格之外，不阻隔任何蔓延', en: '{path} lies wholly outside the grid and blocks nothing' },
  // Many places, one line (web/model-warning-groups.ts): how many, and what they share without one place's numbers.
  modelWherePlural_reach: { 'zh-CN': '{n} 个河段', en: '{n} reaches' },
  modelWherePlural_basin: { 'zh-CN': '{n} 个子流域', en: '{n} basins' },
  modelWherePlural_slope: { 'zh-CN': '{n} 处边坡', en: '{n} slopes' },
  modelWherePlural_place: { 'zh-CN': '{n} 处', en: '{n} places' },
  modelWarningGroupPlaces: { 'zh-CN': '各处详情', en: 'Each place' },
  modelWarningGroupFirst: { 'zh-CN': '{text}（{where}；其余各处的数值见列表）', en: '{text} ({where}; the others\' numbers in the list)' },
  'modelWarningGroup_flood.channel_low_flow_dip': {
    'zh-CN': '已拆为稳定条件（最大流量下 C − D ≤ 1）允许的最多子河段；最小流量下 C + D < 1，低流量时出流可能出现不真实的下降',
    en: 'split into as many sub-reaches as stability allows (C − D ≤ 1 at the highest flow); C + D < 1 at the lowest flow, so the outflow may dip there',
  },
  'modelWarningGroup_flood.channel_subreaches_capped': {
    'zh-CN': '最小流量下满足 C + D ≥ 1 所需子河段数超过上限，低流量时出流可能出现不真实的下降',
    en: 'C + D ≥ 1 at the lowest flow would need more sub-reaches than the cap, so the outflow may dip at low flow',
  },
  'modelWarningGroup_flood.reach_unstable_capped': {
    'zh-CN': '不分段时最大流量下仍有 C − D > 1，子时段已达上限，出流可能振荡；请加长或合并河段，或缩短 dt_s',
    en: 'C − D > 1 at the highest flow even unsplit, routed at the sub-step cap, so the outflow may oscillate; lengthen or merge the reaches, or route with a shorter dt_s',
  },
  'modelWarningGroup_flood.muskingum_c0_negative': { 'zh-CN': 'dt_s < 2·K·X，因此 C0 < 0，出流可能降至零以下', en: 'dt_s < 2·K·X, so C0 < 0 and outflow can dip below zero' },
  'modelWarningGroup_flood.muskingum_c2_negative': { 'zh-CN': 'dt_s > 2·K·(1−X)，因此 C2 < 0，出流可能振荡', en: 'dt_s > 2·K·(1−X), so C2 < 0 and outflow can oscillate' },
  'modelWarningGroup_flood.muskingum_unsplittable': { 'zh-CN': '任何允许的拆分都无法满足 2·K·X ≤ Δt ≤ 2·K·(1−X)；按原参数演算', en: 'no split allowed meets 2·K·X ≤ Δt ≤ 2·K·(1−X); routed as given' },
  'modelWarningGroup_flood.diffusive_peclet': { 'zh-CN': '扩散波网格佩克莱数 cΔx/D > 2：出流可能振荡', en: 'diffusive wave with a cell Péclet number cΔx/D > 2: the outflow may oscillate' },
  'modelWarningGroup_landslide.slope_clamped': { 'zh-CN': '地面坡度超过模型上限：按上限坡度计算', en: 'ground steeper than the model takes: run at its steepest' },
  // A line no rule knows (a model's newer wording): shown as the model wrote it, in English.
  modelWarning_other: { 'zh-CN': '{text}', en: '{text}' },
} as const;
