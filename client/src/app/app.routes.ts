import type { Routes } from '@angular/router';
import { adminGuard, signedInGuard, signedOutGuard } from './core/auth/auth.guards';

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
        loadComponent: () =>
          import('./worklist/worklist-page/worklist-page').then((m) => m.WorklistPage),
      },
      {
        path: 'encounters/:id',
        title: 'Encounter · Countersign',
        loadComponent: () =>
          import('./encounter/encounter-page/encounter-page').then((m) => m.EncounterPage),
      },
      {
        path: 'admin/code-sets',
        title: 'Code sets · Countersign',
        canActivate: [adminGuard],
        loadComponent: () =>
          import('./admin/code-sets-page/code-sets-page').then((m) => m.CodeSetsPage),
      },
      {
        path: 'admin/audit',
        title: 'Audit · Countersign',
        canActivate: [adminGuard],
        loadComponent: () => import('./admin/audit-page/audit-page').then((m) => m.AuditPage),
      },
    ],
  },
  { path: '**', redirectTo: 'worklist' },
];
