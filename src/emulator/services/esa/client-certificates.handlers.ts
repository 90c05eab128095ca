import { type ActionTable } from '../action';

export const clientCertificateActions: ActionTable = {};
