import { read, type ActionTable } from '../action';
import { SlbErrors } from './slb-errors';

type Language = 'zh-CN' | 'en-US' | 'ja';
const LANGUAGES: readonly Language[] = ['zh-CN', 'en-US', 'ja'];

/** Region names as the consoles show them; Japanese answers use the English names. */
const REGION_NAMES: Readonly<Record<string, { zh: string; en: string }>> = {
  'cn-qingdao': { zh: '华北1（青岛）', en: 'China (Qingdao)' },
  'cn-beijing': { zh: '华北2（北京）', en: 'China (Beijing)' },
  'cn-zhangjiakou': { zh: '华北3（张家口）', en: 'China (Zhangjiakou)' },
  'cn-huhehaote': { zh: '华北5（呼和浩特）', en: 'China (Hohhot)' },
  'cn-wulanchabu': { zh: '华北6（乌兰察布）', en: 'China (Ulanqab)' },
  'cn-hangzhou': { zh: '华东1（杭州）', en: 'China (Hangzhou)' },
  'cn-shanghai': { zh: '华东2（上海）', en: 'China (Shanghai)' },
  'cn-shenzhen': { zh: '华南1（深圳）', en: 'China (Shenzhen)' },
  'cn-heyuan': { zh: '华南2（河源）', en: 'China (Heyuan)' },
  'cn-guangzhou': { zh: '华南3（广州）', en: 'China (Guangzhou)' },
  'cn-chengdu': { zh: '西南1（成都）', en: 'China (Chengdu)' },
  'cn-hongkong': { zh: '中国香港', en: 'China (Hong Kong)' },
  'ap-southeast-1': { zh: '新加坡', en: 'Singapore' },
  'ap-southeast-3': { zh: '马来西亚（吉隆坡）', en: 'Malaysia (Kuala Lumpur)' },
  'ap-southeast-5': { zh: '印度尼西亚（雅加达）', en: 'Indonesia (Jakarta)' },
  'ap-northeast-1': { zh: '日本（东京）', en: 'Japan (Tokyo)' },
  'us-west-1': { zh: '美国（硅谷）', en: 'US (Silicon Valley)' },
  'us-east-1': { zh: '美国（弗吉尼亚）', en: 'US (Virginia)' },
  'eu-central-1': { zh: '德国（法兰克福）', en: 'Germany (Frankfurt)' },
  'eu-west-1': { zh: '英国（伦敦）', en: 'UK (London)' },
};

/** Regions SLB serves from its central endpoint (the page's example: cn-beijing at slb.aliyuncs.com); the rest have their own. */
const CENTRAL_ENDPOINT_REGIONS = new Set(['cn-qingdao', 'cn-beijing', 'cn-hangzhou', 'cn-shanghai', 'cn-shenzhen', 'cn-hongkong', 'ap-southeast-1', 'us-west-1', 'us-east-1']);

/**
 * SLB 2014-05-15 DescribeRegions (https://www.alibabacloud.com/help/en/slb/classic-load-balancer/developer-reference/api-slb-2014-05-15-describeregions):
 * the account's regions, nested as `{Regions: {Region: [{RegionId, RegionEndpoint, LocalName}]}}`.
 * `AcceptLanguage` is zh-CN, en-US or ja (default zh-CN, as the sibling ALB page states); `RegionId`
 * only names the endpoint asked, so it does not filter.
 */
export const regionActions: ActionTable = {
  DescribeRegions: read(({ params, account }) => {
    const language = params.optional('AcceptLanguage')?.trim() ?? 'zh-CN';
    if (!LANGUAGES.includes(language as Language)) {
      throw SlbErrors.invalidParameter('The specified parameter AcceptLanguage is not valid.');
    }
    const regions = [...account.regions].map((regionId) => ({
      RegionId: regionId,
      RegionEndpoint: CENTRAL_ENDPOINT_REGIONS.has(regionId) ? 'slb.aliyuncs.com' : `slb.${regionId}.aliyuncs.com`,
      LocalName: localName(regionId, language as Language),
    }));
    return { Regions: { Region: regions } };
  }),
};

function localName(regionId: string, language: Language): string {
  const names = REGION_NAMES[regionId];
  if (!names) return regionId;
  return language === 'zh-CN' ? names.zh : names.en;
}
