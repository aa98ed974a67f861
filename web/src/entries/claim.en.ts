import '../styles/site.css';
import { startClaim } from '../app/claim.ts';
import { en } from '../i18n/en.ts';

void startClaim(en, 'en');
