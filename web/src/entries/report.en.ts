import '../styles/site.css';
import { startReport } from '../app/report.ts';
import { en } from '../i18n/en.ts';

startReport(en, 'en');
