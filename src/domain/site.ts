/** An ESA site, as far as certificates care. */
export interface Site {
  id: string;
  /** The gateway's account the site belongs to. */
  accountId: string;
  name: string;
  status?: string;
  accessType?: string;
}
