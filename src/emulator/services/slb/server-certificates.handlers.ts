import { type ActionTable } from '../action';

export const serverCertificateActions: ActionTable = {};
