/**
 * Keys of the report entity, in one place (see docs/data-model.md for the access patterns).
 *
 *   pk = REPORT#<reportId>             sk = REPORT
 *   gsi1pk = REPORTS#<yyyy-mm>         gsi1sk = <receivedAt>#<reportId>   (reports by date)
 *   gsi2pk = CATEGORY#<category>       gsi2sk = <receivedAt>#<reportId>   (by category and date)
 *
 * Months keep the date partitions bounded; a date range spanning months queries each month.
 */
export const REPORT_SK = 'REPORT';

export const reportPk = (reportId: string): string => `REPORT#${reportId}`;

/** The report id in a report item's pk (the report indexes hold keys only). */
export const reportIdOfPk = (pk: string): string => pk.slice('REPORT#'.length);

export const reportByMonthPk = (receivedAt: string): string => `REPORTS#${receivedAt.slice(0, 7)}`;

export const reportByCategoryPk = (category: string): string => `CATEGORY#${category}`;

/** Sort key shared by both report indexes: time first so ranges are key conditions. */
export const reportTimeSk = (receivedAt: string, reportId: string): string => `${receivedAt}#${reportId}`;

export function reportKeys(reportId: string, receivedAt: string, category: string) {
  return {
    pk: reportPk(reportId),
    sk: REPORT_SK,
    gsi1pk: reportByMonthPk(receivedAt),
    gsi1sk: reportTimeSk(receivedAt, reportId),
    gsi2pk: reportByCategoryPk(category),
    gsi2sk: reportTimeSk(receivedAt, reportId),
  };
}

/** Every month key (yyyy-mm) from `from` to `to` inclusive, newest first. */
export function monthsBetween(from: string, to: string): string[] {
  const months: string[] = [];
  let y = Number(to.slice(0, 4));
  let m = Number(to.slice(5, 7));
  const stop = from.slice(0, 7);
  for (;;) {
    const key = `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}`;
    if (key < stop) break;
    months.push(key);
    m -= 1;
    if (m === 0) {
      m = 12;
      y -= 1;
    }
  }
  return months;
}
