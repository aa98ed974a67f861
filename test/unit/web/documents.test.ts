import { describe, expect, it } from 'vitest';
import { fileType, MAX_FILE_BYTES, precheck } from '../../../web/src/app/documents.ts';
import { en } from '../../../web/src/i18n/en.ts';
import { es } from '../../../web/src/i18n/es.ts';

describe('documents picked on the status page, before anything is sent', () => {
  const pdf = { name: 'receipt.pdf', type: 'application/pdf', size: 2_000 };

  it('takes PDF, JPEG and PNG by the browser’s type, or by the name when the browser gives none', () => {
    expect(fileType(pdf)).toBe('application/pdf');
    expect(fileType({ name: 'photo.JPG', type: '' })).toBe('image/jpeg');
    expect(fileType({ name: 'scan.png', type: 'image/png' })).toBe('image/png');
    expect(fileType({ name: 'notes.txt', type: 'text/plain' })).toBeUndefined();
    // A name cannot overrule a type the browser knows.
    expect(fileType({ name: 'trick.pdf', type: 'text/html' })).toBeUndefined();
  });

  it('says, in each language, why a file is refused: type, size, emptiness, count', () => {
    for (const t of [en, es]) {
      expect(precheck(pdf, 1, t)).toBeUndefined();
      expect(precheck({ ...pdf, size: MAX_FILE_BYTES }, 1, t)).toBeUndefined();
      expect(precheck({ ...pdf, size: MAX_FILE_BYTES + 1 }, 1, t)).toBe(
        t.documents.tooBig.replace('{name}', 'receipt.pdf'),
      );
      expect(precheck({ ...pdf, size: 0 }, 1, t)).toBe(t.documents.empty.replace('{name}', 'receipt.pdf'));
      expect(precheck({ name: 'a.docx', type: 'application/msword', size: 5 }, 1, t)).toBe(
        t.documents.wrongType.replace('{name}', 'a.docx'),
      );
      expect(precheck(pdf, 0, t)).toBe(
        t.documents.tooMany.replace('{name}', 'receipt.pdf').replace('{max}', '5'),
      );
    }
  });
});
