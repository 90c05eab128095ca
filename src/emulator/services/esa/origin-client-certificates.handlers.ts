import { type ActionTable } from '../action';

export const originClientCertificateActions: ActionTable = {};
