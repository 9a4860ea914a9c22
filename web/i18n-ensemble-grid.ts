// The ensemble tab's text for a grid landslide ensemble opened from `sandtable landslide fs
// --members N --out DIR` (web/ensemble-grid-open.ts), Chinese and English (merged into web/i18n.ts).
export const ENSEMBLE_GRID_MESSAGES = {
  ensOpenGrid: { 'zh-CN': '打开网格概率结果（命令行滑坡网格集合的输出文件夹）', en: 'Open grid probability results (a landslide fs --members folder)' },
  ensOpenGridZip: { 'zh-CN': '或其压缩包', en: 'or its .zip' },
  ensGridLayer_slope: { 'zh-CN': '边坡失稳 FS < 1 的概率（逐网格）', en: 'P(FS < 1), per cell' },
  ensGridLayer_failure: { 'zh-CN': '首次失稳时间（小时，逐网格）', en: 'First failure time (hours), per cell' },
  ensGridFailureNote: { 'zh-CN': '某分位数下未失稳的网格不着色；颜色越深失稳越早。缩小时每点显示 4×4 网格中最早的失稳。', en: 'Cells that do not fail at this quantile stay clear; darker fails earlier. Zoomed out, each dot is the earliest of 4 × 4 cells.' },
  ensGridWhen: { 'zh-CN': '时刻', en: 'When' },
  ensGridAnyTime: { 'zh-CN': '任一输出时刻（{hours} 小时内）', en: 'at any output time (within {hours} h)' },
  ensGridAtTime: { 'zh-CN': '第 {hours} 小时', en: 'at hour {hours}' },
  ensGridFrom: { 'zh-CN': '网格滑坡集合 · 运行 {run} · {cells} 格', en: 'grid landslide ensemble · run {run} · {cells} cells' },
  ensGridPrj: { 'zh-CN': '坐标系 {crs}（取自投影文件）', en: 'CRS {crs} (.prj)' },
  ensGridNoPrj: { 'zh-CN': '无投影文件：按区域坐标系 {crs} 放置', en: 'no .prj: placed in the region\'s CRS {crs}' },
  ensGridOutside: { 'zh-CN': '{n} 格在区域外，未显示在底图上', en: '{n} cells lie outside the region map' },
  // Opening an ensemble folder in its worker (web/ensemble-open.worker.ts): the stages and Cancel are both kinds'.
  ensGridOpening: { 'zh-CN': '打开栅格集合的进度', en: 'Opening the grid ensemble' },
  ensOpening: { 'zh-CN': '打开集合的进度', en: 'Opening the ensemble' },
  ensGridOpen_read: { 'zh-CN': '读取文件 {done}/{total}', en: 'Reading the files: {done}/{total}' },
  ensGridOpen_check: { 'zh-CN': '按 manifest.json 核对 SHA-256：{done}/{total}', en: 'Checking SHA-256 against manifest.json: {done}/{total}' },
  ensGridOpen_parse: { 'zh-CN': '解析栅格 {done}/{total}', en: 'Parsing the grids: {done}/{total}' },
  ensGridOpenCancel: { 'zh-CN': '取消打开', en: 'Cancel' },
  ensGridOpenCancelled: { 'zh-CN': '已取消打开；显示的内容未改变。', en: 'Opening cancelled; what is shown has not changed.' },
} as const;
