import '../styles/site.css';
import { startClaim } from '../app/claim.ts';
import { es } from '../i18n/es.ts';

void startClaim(es, 'es');
