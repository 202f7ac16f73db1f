import type { Routes } from '@angular/router';
import { signedInGuard, signedOutGuard } from './core/auth/auth.guards';

export const routes: Routes = [
  {
    path: 'login',
    title: 'Sign in · Countersign',
    canActivate: [signedOutGuard],
    loadComponent: () => import('./login/login-page/login-page').then((m) => m.LoginPage),
  },
  {
    path: '',
    canActivate: [signedInGuard],
    loadComponent: () => import('./shell/shell').then((m) => m.Shell),
    children: [
      { path: '', pathMatch: 'full', redirectTo: 'worklist' },
      {
        path: 'worklist',
        title: 'Worklist · Countersign',
        loadComponent: () => import('./worklist/worklist-page/worklist-page').then((m) => m.WorklistPage),
      },
      {
        path: 'encounters/:id',
        title: 'Encounter · Countersign',
        loadComponent: () => import('./encounter/encounter-page/encounter-page').then((m) => m.EncounterPage),
      },
    ],
  },
  { path: '**', redirectTo: 'worklist' },
];
