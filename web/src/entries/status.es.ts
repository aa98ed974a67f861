import '../styles/site.css';
import { startStatus } from '../app/status.ts';
import { es } from '../i18n/es.ts';

startStatus(es, 'es');
