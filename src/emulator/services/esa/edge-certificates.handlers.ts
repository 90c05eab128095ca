import { type ActionTable } from '../action';

export const edgeCertificateActions: ActionTable = {};
