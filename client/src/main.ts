import { bootstrapApplication } from '@angular/platform-browser';
import { z } from 'zod';
import { App } from './app/app';
import { appConfig } from './app/app.config';

// The server's CSP allows no eval: zod's compiled parsers would probe `new Function`, which the
// browser reports as a CSP violation even though zod catches it. Interpreted parsing instead.
z.config({ jitless: true });

bootstrapApplication(App, appConfig).catch((error: unknown) => console.error(error));
