// The run panel's notice of what the models could not honour exactly (models/scenario/model-warnings.ts).
// The warnings' own text is the models' (English, as on the CLI); the notice around it is translated.
export const MODEL_WARNING_MESSAGES = {
  modelWarningsTitle: { 'zh-CN': '模型数值警告 {n} 条：结果可能不准确', en: '{n} model warnings: the results may be inexact' },
  modelWarningsNote: { 'zh-CN': '以下为模型在本次计算中无法严格满足的条件（与命令行 sandtable run 输出相同），请核对所指河段或输入。', en: 'What the models could not honour exactly in this run (as `sandtable run` prints them): check the reach or input each names.' },
  model_flood: { 'zh-CN': '洪水演算', en: 'flood' },
  model_landslide: { 'zh-CN': '滑坡', en: 'landslide' },
  model_fire: { 'zh-CN': '火灾蔓延', en: 'fire' },
  model_risklist: { 'zh-CN': '风险清单', en: 'risk list' },
} as const;
