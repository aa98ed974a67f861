/** The sharing settings of this deployment (agency name, TLP level), read once from config. */
import type { SharingContext } from '#shared/domain/sharing/stix.ts';
import { config } from './config.ts';

export const sharingContext = (): SharingContext => ({
  agencyName: config().AGENCY_NAME,
  tlp: config().SHARING_TLP,
});
