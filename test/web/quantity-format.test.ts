// The one formatter of the numbers a trainer reads (web/quantity-format.ts): each kind at its
// stated precision, thousands marked, in zh-CN and en. Expected strings follow CLDR's number
// patterns for both locales (#,##0.### and #,##0%: comma groups of three, "." decimals) and
// ECMA-402's roundingPriority "morePrecision" (the rounding that keeps more digits wins).
import { describe, expect, it } from 'vitest';
import { formatDifference, formatInUnit, formatQuantity, kindOfUnit } from '../../web/quantity-format.ts';

describe('formatQuantity', () => {
  it('writes counts whole with thousands marked, in either language', () => {
    for (const lang of ['zh-CN', 'en'] as const) {
      expect(formatQuantity(12538, 'count', lang)).toBe('12,538');
      expect(formatQuantity(1202134, 'count', lang)).toBe('1,202,134');
      // A summed population is fractional (cell shares): whole people, never "31124.3".
      expect(formatQuantity(31124.3, 'count', lang)).toBe('31,124');
      expect(formatQuantity(0, 'count', lang)).toBe('0');
    }
  });

  it('writes flows to 3 significant digits but never coarser than 1 m³/s', () => {
    expect(formatQuantity(47168.4, 'flow', 'en')).toBe('47,168');
    expect(formatQuantity(4716.84, 'flow', 'zh-CN')).toBe('4,717');
    expect(formatQuantity(123.45, 'flow', 'en')).toBe('123');
    expect(formatQuantity(12.345, 'flow', 'en')).toBe('12.3');
    expect(formatQuantity(0.45678, 'flow', 'en')).toBe('0.457');
  });

  it('writes areas to the hectare and depths to the centimetre', () => {
    expect(formatQuantity(31.1249, 'area', 'en')).toBe('31.12');
    expect(formatQuantity(1234.5, 'area', 'zh-CN')).toBe('1,234.50');
    expect(formatQuantity(0.004, 'area', 'en')).toBe('0.00');
    expect(formatQuantity(0.3, 'depth', 'en')).toBe('0.30');
    expect(formatQuantity(2.456, 'depth', 'zh-CN')).toBe('2.46');
  });

  it('writes fractions as percentages to 2 significant digits, whole percent at least', () => {
    expect(formatQuantity(0.1234, 'percent', 'en')).toBe('12%');
    expect(formatQuantity(0.1234, 'percent', 'zh-CN')).toBe('12%');
    expect(formatQuantity(0.00534, 'percent', 'en')).toBe('0.53%');
    expect(formatQuantity(1.5, 'percent', 'en')).toBe('150%');
  });

  it('writes differences signed, to the decimals of the values shown, adding up as printed', () => {
    // 47,168 → 47,190: +22 (not +22.4, which the whole numbers beside it could not give).
    expect(formatDifference(47168.4, 47190.4, 'flow', 'en')).toBe('+22');
    expect(formatDifference(47168.4, 47190.8, 'flow', 'en')).toBe('+23'); // 47,168 → 47,191
    expect(formatDifference(12.34, 14.56, 'flow', 'en')).toBe('+2.3'); // 12.3 → 14.6
    expect(formatDifference(31124.3, 29603.7, 'count', 'zh-CN')).toBe('-1,520'); // 31,124 → 29,604
    expect(formatDifference(31.124, 31.184, 'area', 'en')).toBe('+0.06');
    expect(formatDifference(0.101, 0.104, 'area', 'en')).toBe('0.00'); // 0.10 → 0.10: no change, no sign
    expect(formatDifference(0.12, 0.163, 'percent', 'en')).toBe('+4%'); // 12% → 16%
    expect(formatDifference(5, null, 'count', 'en')).toBe('');
  });

  it('writes a missing value as a dash', () => {
    expect(formatQuantity(null, 'count', 'en')).toBe('—');
    expect(formatQuantity(Number.NaN, 'flow', 'zh-CN')).toBe('—');
  });

  it('reads the kind from the comparison rows\' and curves\' units', () => {
    expect(['m³/s', 'km²', 'm', '%', ''].map(kindOfUnit)).toEqual(['flow', 'area', 'depth', 'percent', 'count']);
    expect(formatInUnit(47168.4, 'm³/s', 'en')).toBe('47,168');
    expect(formatInUnit(31124.3, '', 'zh-CN')).toBe('31,124');
  });
});
