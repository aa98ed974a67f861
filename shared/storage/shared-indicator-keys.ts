/**
 * Keys of the shared-indicator summaries: one item per identifier that a consenting report named,
 * addressed by its STIX id (so TAXII can fetch by id) and listed in gsi3 by the time it last
 * changed (so partners can poll "what changed since" in one Query).
 *
 *   pk = STIX#<indicator id>   sk = STIX   gsi3pk = SHARED   gsi3sk = <modified>#<indicator id>
 *
 * One gsi3 partition holds every summary: writes to it are one per shared identifier per
 * report, far below a partition's 1,000 writes a second for any agency's report volume.
 */
export const sharedIndicatorPk = (stixId: string): string => `STIX#${stixId}`;
export const SHARED_INDICATOR_SK = 'STIX';
export const SHARED_INDEX_PK = 'SHARED';
export const sharedIndexSk = (modified: string, stixId: string): string => `${modified}#${stixId}`;

/** Sorts after every `<time>#<id>` key whose time is `time`: "added after" is exclusive. */
export const afterTime = (time: string): string => `${time}#~`;
