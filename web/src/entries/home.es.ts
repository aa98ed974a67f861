import '../styles/site.css';
import { startHome } from '../app/programs.ts';
import { es } from '../i18n/es.ts';

startHome(es, 'es');
