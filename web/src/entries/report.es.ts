import '../styles/site.css';
import { startReport } from '../app/report.ts';
import { es } from '../i18n/es.ts';

startReport(es, 'es');
