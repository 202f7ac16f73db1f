import { MAT_FORM_FIELD_DEFAULT_OPTIONS } from '@angular/material/form-field';
import type { Routes } from '@angular/router';
import {
  adminGuard,
  exportGuard,
  signedInGuard,
  signedOutGuard,
  teamQualityGuard,
} from './core/auth/auth.guards';
import { provideAppIcons } from './core/icons';

/**
 * Every page, each its own lazy chunk: the login and the worklist come first; the review room
 * and the admin pages load only when opened. The providers here are what all pages share and
 * the first bundle does not need (they start when the first page is routed to).
 */
export const pageRoutes: Routes = [
  {
    path: '',
    providers: [
      provideAppIcons(),
      {
        provide: MAT_FORM_FIELD_DEFAULT_OPTIONS,
        useValue: { appearance: 'outline', subscriptSizing: 'dynamic' },
      },
    ],
    children: [
      {
        path: 'login',
        title: 'Sign in · Countersign',
        canActivate: [signedOutGuard],
        loadComponent: () => import('./login/login-page/login-page').then((m) => m.LoginPage),
      },
      {
        // Public: a one-time link an admin handed out; whoever is signed in on this browser.
        path: 'set-password/:token',
        title: 'Choose your password · Countersign',
        loadComponent: () =>
          import('./login/set-password-page/set-password-page').then((m) => m.SetPasswordPage),
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
            path: 'encounters/new',
            title: 'New encounter · Countersign',
            loadComponent: () =>
              import('./intake/new-encounter-page/new-encounter-page').then(
                (m) => m.NewEncounterPage,
              ),
          },
          {
            path: 'import',
            title: 'Import encounters · Countersign',
            loadComponent: () =>
              import('./intake/import-page/import-page').then((m) => m.ImportPage),
          },
          {
            path: 'encounters/:id',
            title: 'Encounter · Countersign',
            loadComponent: () =>
              import('./encounter/encounter-page/encounter-page').then((m) => m.EncounterPage),
          },
          {
            path: 'precedents',
            title: 'Precedents · Countersign',
            loadComponent: () =>
              import('./precedents/precedents-page/precedents-page').then((m) => m.PrecedentsPage),
          },
          {
            path: 'precedents/:number',
            title: 'Precedent · Countersign',
            loadComponent: () =>
              import('./precedents/precedent-page/precedent-page').then((m) => m.PrecedentPage),
          },
          {
            path: 'quality',
            pathMatch: 'full',
            title: 'Quality · Countersign',
            canActivate: [teamQualityGuard],
            loadComponent: () =>
              import('./quality/team-quality-page/team-quality-page').then(
                (m) => m.TeamQualityPage,
              ),
          },
          {
            path: 'quality/charts',
            title: 'Charts behind a figure · Countersign',
            canActivate: [teamQualityGuard],
            loadComponent: () =>
              import('./quality/quality-charts-page/quality-charts-page').then(
                (m) => m.QualityChartsPage,
              ),
          },
          {
            path: 'quality/agreement',
            title: 'Agreement · Countersign',
            canActivate: [teamQualityGuard],
            loadComponent: () =>
              import('./agreement/agreement-page/agreement-page').then((m) => m.AgreementPage),
          },
          {
            path: 'double-codings',
            title: 'Double coding · Countersign',
            loadComponent: () =>
              import('./agreement/double-codings-page/double-codings-page').then(
                (m) => m.DoubleCodingsPage,
              ),
          },
          {
            path: 'double-codings/:id/reconciliation',
            title: 'Reconciliation · Countersign',
            loadComponent: () =>
              import('./agreement/reconciliation-page/reconciliation-page').then(
                (m) => m.ReconciliationPage,
              ),
          },
          {
            path: 'quality/me',
            title: 'My quality · Countersign',
            loadComponent: () =>
              import('./quality/my-quality-page/my-quality-page').then((m) => m.MyQualityPage),
          },
          {
            path: 'exports',
            title: 'Exports · Countersign',
            canActivate: [exportGuard],
            loadComponent: () =>
              import('./export/exports-page/exports-page').then((m) => m.ExportsPage),
          },
          {
            path: 'quality/sampling',
            title: 'Sampling · Countersign',
            canActivate: [teamQualityGuard],
            loadComponent: () =>
              import('./quality/sampling-page/sampling-page').then((m) => m.SamplingPage),
          },
          {
            path: 'practice',
            title: 'Practice · Countersign',
            loadComponent: () =>
              import('./practice/practice-page/practice-page').then((m) => m.PracticePage),
          },
          {
            path: 'practice/attempts/:id',
            title: 'Practice score · Countersign',
            loadComponent: () =>
              import('./practice/score-page/score-page').then((m) => m.ScorePage),
          },
          {
            path: 'practice/make/:encounterId',
            title: 'Make a practice chart · Countersign',
            canActivate: [teamQualityGuard],
            loadComponent: () =>
              import('./practice/make-chart-page/make-chart-page').then((m) => m.MakeChartPage),
          },
          {
            path: 'practice/courses/:courseId/new-chart',
            title: 'Write a practice chart · Countersign',
            canActivate: [teamQualityGuard],
            loadComponent: () =>
              import('./practice/chart-editor-page/chart-editor-page').then(
                (m) => m.ChartEditorPage,
              ),
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
          {
            path: 'admin/people',
            title: 'People · Countersign',
            canActivate: [adminGuard],
            loadComponent: () =>
              import('./admin/people-page/people-page').then((m) => m.PeoplePage),
          },
        ],
      },
      { path: '**', redirectTo: 'worklist' },
    ],
  },
];
