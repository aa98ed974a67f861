import '../styles/site.css';
import { startPrograms } from '../app/programs.ts';
import { es } from '../i18n/es.ts';

startPrograms(es, 'es');
