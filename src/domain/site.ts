/** An ESA site, as far as certificates care. */
export interface Site {
  id: string;
  name: string;
  status?: string;
  accessType?: string;
}
