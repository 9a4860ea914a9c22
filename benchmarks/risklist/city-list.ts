// The benchmarks' city-sized risk list: the 11 shipped categories plus the city's own, items
// spread over nine districts, and for each factor a quiet and a spiking reading.
import categoryData from '../../models/risklist/categories.json' with { type: 'json' };

export interface Factor { item: string; factor: string; quiet: number; spike: number }

/** The city's own category, beside the 11 shipped ones: a pumping station's sump level. */
const CITY_CATEGORY = { id: 'pump-station', factors: [{ id: 'sump_level_m', direction: 'above', thresholds: { 2: 2, 3: 2.5, 4: 3 }, deadband: 0.1, interval_s: 60 }] };

export function cityList(items: number) {
  const categories = categoryData.categories as { id: string; factors: { id: string; direction: string; thresholds: Record<string, number>; deadband?: number }[] }[];
  const all = [...categories, CITY_CATEGORY];
  const districts = ['yuzhong', 'jiangbei', 'shapingba', 'jiulongpo', 'nanan', 'beibei', 'yubei', 'banan', 'dadukou'];
  const list: Record<string, unknown>[] = [];
  const factors: Factor[] = [];
  for (let i = 0; i < items; i++) {
    const cat = all[i % all.length];
    const id = `${cat.id.slice(0, 3).toUpperCase()}-${String(i).padStart(6, '0')}`;
    list.push(cat === CITY_CATEGORY
      ? { id, category: cat.id, area: districts[i % districts.length], factors: CITY_CATEGORY.factors }
      : { id, category: cat.id, area: districts[i % districts.length], factors: 'category' });
    for (const f of cat.factors) {
      const th = Object.values(f.thresholds);
      const up = f.direction === 'above';
      const band = (f.deadband ?? 0) + Math.abs(th[0]) * 0.2 + 0.01;
      factors.push({ item: id, factor: f.id, quiet: up ? Math.min(...th) - band : Math.max(...th) + band, spike: up ? Math.max(...th) + band : Math.min(...th) - band });
    }
  }
  return { list, factors };
}

