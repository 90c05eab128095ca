import { read, write, type ActionTable } from '../action';
import { type LoadBalancerRecord } from '../../state/records';
import { commaListOf, loadBalancerIdOf, nextTokenOf, optionalListenerPortOf, repeatedListOf, slbPageOf, tokenPageOf } from './load-balancer-params';
import { listenerEntry, loadBalancerAttribute, loadBalancerSummary } from './load-balancer-view';
import { createLoadBalancer, findLoadBalancer, listLoadBalancers } from './load-balancers.model';
import { SlbErrors } from './slb-errors';
import { optionalRegionIdOf, regionIdOf, resourceGroupIdOf } from './slb-params';

/** CreateLoadBalancer's name rule ("1 to 80 characters … letters, digits, periods, underscores and hyphens"). */
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$/;
const ADDRESS_TYPES: ReadonlyArray<LoadBalancerRecord['addressType']> = ['internet', 'intranet'];

/** SLB 2014-05-15 instances (https://www.alibabacloud.com/help/en/slb/classic-load-balancer/developer-reference/api-slb-2014-05-15-describeloadbalancers and its sibling pages). */
export const loadBalancerActions: ActionTable = {
  DescribeLoadBalancers: read(({ params, account }) => {
    const page = slbPageOf(params);
    const found = listLoadBalancers(account, regionIdOf(params), {
      ids: commaListOf(params, 'LoadBalancerId'),
      names: commaListOf(params, 'LoadBalancerName'),
      status: params.optional('LoadBalancerStatus')?.trim(),
      addressType: params.optional('AddressType')?.trim(),
      networkType: params.optional('NetworkType')?.trim(),
      resourceGroupId: resourceGroupIdOf(params),
      address: params.optional('Address')?.trim(),
      vpcId: params.optional('VpcId')?.trim(),
      vSwitchId: params.optional('VSwitchId')?.trim(),
    });
    const start = (page.pageNumber - 1) * page.pageSize;
    return {
      PageNumber: page.pageNumber,
      PageSize: page.pageSize,
      TotalCount: found.length,
      LoadBalancers: { LoadBalancer: found.slice(start, start + page.pageSize).map(loadBalancerSummary) },
    };
  }),

  DescribeLoadBalancerAttribute: read(({ params, account }) => {
    return loadBalancerAttribute(findLoadBalancer(account, loadBalancerIdOf(params), optionalRegionIdOf(params)));
  }),

  DescribeLoadBalancerListeners: read(({ params, account }) => {
    const regionId = regionIdOf(params);
    const page = tokenPageOf(params);
    const ids = repeatedListOf(params, 'LoadBalancerId');
    const protocol = params.optional('ListenerProtocol')?.trim().toLowerCase();
    const port = optionalListenerPortOf(params);
    const listeners = listLoadBalancers(account, regionId, { ids }).flatMap((loadBalancer) =>
      loadBalancer.listeners
        .filter((listener) => (protocol === undefined || listener.protocol === protocol) && (port === undefined || listener.port === port))
        .map((listener) => listenerEntry(loadBalancer, listener)),
    );
    const next = page.offset + page.maxResults;
    return {
      Listeners: listeners.slice(page.offset, next),
      TotalCount: listeners.length,
      MaxResults: page.maxResults,
      ...(next < listeners.length ? { NextToken: nextTokenOf(next) } : {}),
    };
  }),

  CreateLoadBalancer: write(({ params, account, env }) => {
    const name = params.optional('LoadBalancerName')?.trim();
    if (name !== undefined && !NAME.test(name)) throw SlbErrors.invalidParameter('The Lb Name is Not supported.');
    const addressType = params.optional('AddressType')?.trim() ?? 'internet';
    if (!(ADDRESS_TYPES as readonly string[]).includes(addressType)) throw SlbErrors.invalidParameter('The specified parameter AddressType is not valid.');
    const record = createLoadBalancer(
      account,
      {
        regionId: regionIdOf(params),
        name,
        addressType: addressType as LoadBalancerRecord['addressType'],
        loadBalancerSpec: params.optional('LoadBalancerSpec')?.trim(),
        vpcId: params.optional('VpcId')?.trim(),
        vSwitchId: params.optional('VSwitchId')?.trim(),
        resourceGroupId: resourceGroupIdOf(params),
      },
      env.clock.nowMs(),
    );
    return {
      LoadBalancerId: record.id,
      LoadBalancerName: record.name,
      Address: record.address,
      AddressIPVersion: 'ipv4',
      NetworkType: record.networkType,
      VpcId: record.vpcId,
      VSwitchId: record.vSwitchId,
      ResourceGroupId: record.resourceGroupId,
    };
  }),
};
