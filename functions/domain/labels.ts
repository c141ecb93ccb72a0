/** The procedure's vocabulary in both languages, for pages and emails. */
import type { Category, ClaimType, ComplaintStatus, Language, Market } from './complaint.ts';

export type Bilingual = Record<Language, string>;

export const categoryLabels: Record<Category, Bilingual> = {
  quality: { zh: '产品质量', en: 'Product quality' },
  wrong_goods: { zh: '货不对板', en: 'Goods not as ordered' },
  delivery: { zh: '交货', en: 'Delivery' },
  contract: { zh: '合同履行', en: 'Contract performance' },
  service: { zh: '服务', en: 'Service' },
  technical_support: { zh: '技术支持', en: 'Technical support' },
  onsite_service: { zh: '上门服务', en: 'On-site service' },
  suggestion: { zh: '建议', en: 'Suggestion' },
  other: { zh: '其他', en: 'Other' },
};

export const marketLabels: Record<Market, Bilingual> = {
  domestic: { zh: '国内', en: 'Domestic (China)' },
  export: { zh: '出口', en: 'Export' },
};

export const claimTypeLabels: Record<ClaimType, Bilingual> = {
  none: { zh: '无', en: 'None' },
  return: { zh: '退货', en: 'Return' },
  exchange: { zh: '换货', en: 'Exchange' },
  compensation: { zh: '赔偿', en: 'Compensation' },
};

export const statusLabels: Record<ComplaintStatus, Bilingual> = {
  received: { zh: '已受理', en: 'Received' },
  routed: { zh: '已转交相关部门', en: 'Passed to the departments concerned' },
  in_progress: { zh: '处理中', en: 'Being handled' },
  awaiting_approval: { zh: '处理中', en: 'Being handled' },
  responded: { zh: '已答复，待您确认', en: 'Answered, awaiting your confirmation' },
  closed: { zh: '已结案', en: 'Closed' },
  reopened: { zh: '已重新处理', en: 'Reopened' },
};
