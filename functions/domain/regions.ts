/**
 * Where a customer is, as the service network sees it: a Chinese province-level division
 * (ISO 3166-2:CN, e.g. `CN-GD`) for domestic customers, an ISO 3166-1 alpha-2 country for
 * export customers. Intake accepts the forms people actually type and stores the code.
 */
import type { Market } from './complaint.ts';

export interface Province {
  code: string;
  zh: string;
  en: string;
}

export const provinces: readonly Province[] = [
  { code: 'CN-BJ', zh: '北京', en: 'Beijing' },
  { code: 'CN-TJ', zh: '天津', en: 'Tianjin' },
  { code: 'CN-HE', zh: '河北', en: 'Hebei' },
  { code: 'CN-SX', zh: '山西', en: 'Shanxi' },
  { code: 'CN-NM', zh: '内蒙古', en: 'Inner Mongolia' },
  { code: 'CN-LN', zh: '辽宁', en: 'Liaoning' },
  { code: 'CN-JL', zh: '吉林', en: 'Jilin' },
  { code: 'CN-HL', zh: '黑龙江', en: 'Heilongjiang' },
  { code: 'CN-SH', zh: '上海', en: 'Shanghai' },
  { code: 'CN-JS', zh: '江苏', en: 'Jiangsu' },
  { code: 'CN-ZJ', zh: '浙江', en: 'Zhejiang' },
  { code: 'CN-AH', zh: '安徽', en: 'Anhui' },
  { code: 'CN-FJ', zh: '福建', en: 'Fujian' },
  { code: 'CN-JX', zh: '江西', en: 'Jiangxi' },
  { code: 'CN-SD', zh: '山东', en: 'Shandong' },
  { code: 'CN-HA', zh: '河南', en: 'Henan' },
  { code: 'CN-HB', zh: '湖北', en: 'Hubei' },
  { code: 'CN-HN', zh: '湖南', en: 'Hunan' },
  { code: 'CN-GD', zh: '广东', en: 'Guangdong' },
  { code: 'CN-GX', zh: '广西', en: 'Guangxi' },
  { code: 'CN-HI', zh: '海南', en: 'Hainan' },
  { code: 'CN-CQ', zh: '重庆', en: 'Chongqing' },
  { code: 'CN-SC', zh: '四川', en: 'Sichuan' },
  { code: 'CN-GZ', zh: '贵州', en: 'Guizhou' },
  { code: 'CN-YN', zh: '云南', en: 'Yunnan' },
  { code: 'CN-XZ', zh: '西藏', en: 'Tibet' },
  { code: 'CN-SN', zh: '陕西', en: 'Shaanxi' },
  { code: 'CN-GS', zh: '甘肃', en: 'Gansu' },
  { code: 'CN-QH', zh: '青海', en: 'Qinghai' },
  { code: 'CN-NX', zh: '宁夏', en: 'Ningxia' },
  { code: 'CN-XJ', zh: '新疆', en: 'Xinjiang' },
];

// ISO 3166-1 alpha-2, officially assigned codes.
const countryCodes = new Set(
  (
    'AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ ' +
    'BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM ' +
    'DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS ' +
    'GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN ' +
    'KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ ' +
    'MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM ' +
    'PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV ' +
    'SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI ' +
    'VN VU WF WS YE YT ZA ZM ZW'
  ).split(' '),
);

const provinceByKey = new Map<string, Province>();
for (const province of provinces) {
  for (const key of [
    province.code,
    province.code.slice(3),
    province.zh,
    province.en,
    `${province.zh}省`,
    `${province.zh}市`,
  ]) {
    provinceByKey.set(key.toLowerCase(), province);
  }
}
const autonomousRegionNames: Record<string, string> = {
  内蒙古自治区: 'CN-NM',
  广西壮族自治区: 'CN-GX',
  西藏自治区: 'CN-XZ',
  宁夏回族自治区: 'CN-NX',
  新疆维吾尔自治区: 'CN-XJ',
};
for (const [name, code] of Object.entries(autonomousRegionNames)) {
  const province = provinces.find((p) => p.code === code);
  if (province) provinceByKey.set(name, province);
}

/**
 * The stored region code for a customer of `market`: a province for domestic customers, a
 * country outside mainland China for export customers; undefined when it is neither.
 */
export function regionCode(market: Market, input: string): string | undefined {
  if (market === 'domestic') return provinceCode(input);
  const code = countryCode(input);
  return code === 'CN' ? undefined : code;
}

/** `广东省`, `Guangdong`, `GD`, `cn-gd` → `CN-GD`; undefined when it is no province. */
export function provinceCode(input: string): string | undefined {
  return provinceByKey.get(input.trim().toLowerCase())?.code;
}

/**
 * `de`, `Germany`, `德国`, `Federal Republic of Germany`… → `DE`; undefined for anything that
 * is neither an assigned alpha-2 code nor a country's English or Chinese name.
 */
export function countryCode(input: string): string | undefined {
  const code = input.trim().toUpperCase();
  if (countryCodes.has(code)) return code;
  return countryByName().get(nameKey(input));
}

/** Every country's name in `language`, sorted for a picker (mainland China left out). */
export function countryNames(language: 'zh' | 'en'): string[] {
  const names = countryDisplayNames();
  return [...countryCodes]
    .filter((code) => code !== 'CN')
    .map((code) => names[language].of(code) ?? code)
    .sort((a, b) => a.localeCompare(b, language === 'zh' ? 'zh-CN' : 'en'));
}

const nameKey = (name: string) => name.trim().toLowerCase().replace(/\s+/g, ' ');

// Names people write that CLDR's display names do not give.
const countryAliases: Record<string, string> = {
  usa: 'US',
  'united states of america': 'US',
  america: 'US',
  uk: 'GB',
  'great britain': 'GB',
  england: 'GB',
  britain: 'GB',
  holland: 'NL',
  'south korea': 'KR',
  korea: 'KR',
  russia: 'RU',
  vietnam: 'VN',
  'czech republic': 'CZ',
  turkey: 'TR',
  uae: 'AE',
  英国: 'GB',
  韩国: 'KR',
  荷兰: 'NL',
};

let byName: Map<string, string> | undefined;
let displayNames: Record<'zh' | 'en', Intl.DisplayNames> | undefined;

// Built on first use: ~250 names in two languages from the runtime's CLDR data.
function countryDisplayNames() {
  displayNames ??= {
    zh: new Intl.DisplayNames(['zh'], { type: 'region', fallback: 'none' }),
    en: new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' }),
  };
  return displayNames;
}

function countryByName(): Map<string, string> {
  if (byName) return byName;
  const names = countryDisplayNames();
  byName = new Map(Object.entries(countryAliases));
  for (const code of countryCodes) {
    for (const language of ['en', 'zh'] as const) {
      for (const style of ['long', 'short'] as const) {
        const name = new Intl.DisplayNames([language], { type: 'region', style }).of(code);
        if (name && name !== code) byName.set(nameKey(name), code);
      }
      const name = names[language].of(code);
      if (name) byName.set(nameKey(name), code);
    }
  }
  return byName;
}

export function provinceByCode(code: string): Province | undefined {
  return provinces.find((p) => p.code === code);
}
