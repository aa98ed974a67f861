import '../styles/site.css';
import { startChrome } from '../app/chrome.ts';
import { es } from '../i18n/es.ts';

void startChrome(es, 'es');
