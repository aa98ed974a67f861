import '../styles/site.css';
import { startHome } from '../app/programs.ts';
import { en } from '../i18n/en.ts';

startHome(en, 'en');
