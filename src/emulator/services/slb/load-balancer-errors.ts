import { EmulatorError } from '../../protocol/emulator-error';

/**
 * SLB's codes for load balancers, listeners and domain extensions. Where SLB's "Common error codes"
 * page (https://github.com/AlibabaCloudDocs/slb/blob/master/intl.en-US/Classic%20Load%20Balancer/CLB%20Developer%20Guide/Developer%20Guide/Common%20error%20codes.md)
 * lists one, its wording and status are used: `ListenerNotFound`, `ListenerAlreadyExists`,
 * `CertificateAndPrivateKeyIsRefered`. The others come from the API reference pages named beside them.
 */
export const LoadBalancerErrors = {
  /**
   * The page above does not list it; `InvalidLoadBalancerId.NotFound` is the code SLB answers
   * (Alibaba's Terraform provider waits for exactly it, `LoadBalancerNotFound` in
   * https://github.com/aliyun/terraform-provider-alicloud/blob/master/alicloud/errors.go), with the 404
   * of the `.NotFound` codes that page does list (`InvalidRegionId.NotFound`).
   */
  loadBalancerNotFound: () => new EmulatorError('InvalidLoadBalancerId.NotFound', 404, 'The specified LoadBalancerId does not exist.'),
  listenerNotFound: () =>
    new EmulatorError('ListenerNotFound', 404, 'You have not created a listener for the specified port of the load balancer.'),
  listenerExists: () => new EmulatorError('ListenerAlreadyExists', 400, 'A listener with the specified port already exists'),
  /**
   * DescribeDomainExtensionAttribute's error table
   * (https://www.alibabacloud.com/help/zh/slb/api-describedomainextensionattribute) words it `%s.`;
   * the id that was not found fills it in.
   */
  domainExtensionNotFound: (id: string) =>
    new EmulatorError('InvalidParameter.DomainExtensionId', 400, `The specified DomainExtensionId ${id} does not exist.`),
  /** A server certificate a listener or domain extension serves cannot be deleted. */
  certificateInUse: () => new EmulatorError('CertificateAndPrivateKeyIsRefered', 400, 'Certificate and PrivateKey Is Refered.'),
} as const;
