import '../styles/site.css';
import { startChrome } from '../app/chrome.ts';
import { en } from '../i18n/en.ts';

void startChrome(en, 'en');
