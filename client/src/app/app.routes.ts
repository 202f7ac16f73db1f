import type { Routes } from '@angular/router';

/**
 * The first bundle holds only the router, the session and the HTTP client; the pages, with
 * Material and the icons they need, load behind this one lazy route (see `pages.routes.ts`).
 */
export const routes: Routes = [
  { path: '', loadChildren: () => import('./pages.routes').then((m) => m.pageRoutes) },
];
