import { ERROR_CATALOGUE, isKnownCode, specForUnknown, type ErrorCategory, type ErrorCode } from './error-catalogue';

export type ErrorProvider = 'ESA' | 'SLB' | 'STS' | 'GATEWAY';

export interface GatewayErrorDetails {
  provider: ErrorProvider;
  /** The cloud action that answered, when one was called. */
  action?: string;
  /** The upstream RequestId, when there was one. */
  requestId?: string;
  /** The upstream HTTP status; defaults to the catalogue's. */
  httpStatus?: number;
  /**
   * A change the cloud received but never answered (a timeout, a connection lost after sending):
   * it may have been applied, so trying it again blindly could apply it twice.
   */
  outcomeUnknown?: boolean;
}

/**
 * An error with a documented code, from the cloud or refused at the gateway. It knows nothing of
 * GraphQL; the server's error formatter turns it into extensions. Messages never carry secrets:
 * whoever builds one passes text that is safe to show.
 */
export class GatewayError extends Error {
  readonly category: ErrorCategory;
  readonly httpStatus: number;
  readonly retryable: boolean;

  constructor(
    readonly code: ErrorCode | (string & {}),
    message: string,
    readonly details: GatewayErrorDetails,
  ) {
    super(message);
    this.name = 'GatewayError';
    const spec = isKnownCode(code) ? ERROR_CATALOGUE[code] : specForUnknown(details.httpStatus ?? 0);
    this.category = spec.category;
    this.httpStatus = details.httpStatus ?? spec.httpStatus;
    this.retryable = spec.retryable && details.outcomeUnknown !== true;
  }

  get outcomeUnknown(): boolean {
    return this.details.outcomeUnknown === true;
  }

  /** Input the documentation defines as invalid, refused before any cloud call. */
  static refused(code: ErrorCode, provider: ErrorProvider, detail?: string, action?: string): GatewayError {
    const message = detail ? `${ERROR_CATALOGUE[code].message} ${detail}` : ERROR_CATALOGUE[code].message;
    return new GatewayError(code, message, { provider, ...(action ? { action } : {}) });
  }

  /**
   * Refused before any cloud call with the cloud's own words for it, so the same input reads the same
   * whether the gateway or the cloud turns it away.
   */
  static refusedAs(code: ErrorCode, provider: ErrorProvider, message: string, action?: string): GatewayError {
    return new GatewayError(code, message, { provider, ...(action ? { action } : {}) });
  }

  /** A change sent to the cloud whose answer never came: `what` says what happened to it. */
  static outcomeUnknown(code: 'UPSTREAM_TIMEOUT' | 'UPSTREAM_UNREACHABLE', provider: ErrorProvider, action: string, what: string): GatewayError {
    const message = `The outcome is unknown: ${what} The cloud may have made the change; check before trying again.`;
    return new GatewayError(code, message, { provider, action, outcomeUnknown: true });
  }
}
