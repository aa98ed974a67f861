import '../styles/site.css';
import { startPrograms } from '../app/programs.ts';
import { en } from '../i18n/en.ts';

startPrograms(en, 'en');
