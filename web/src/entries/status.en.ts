import '../styles/site.css';
import { startStatus } from '../app/status.ts';
import { en } from '../i18n/en.ts';

startStatus(en, 'en');
