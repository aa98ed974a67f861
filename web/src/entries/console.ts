import '../styles/site.css';
import '../styles/console.css';
import { startConsole } from '../console/app.ts';

void startConsole();
