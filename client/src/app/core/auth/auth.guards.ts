import { inject } from '@angular/core';
import { canExportClaims, canReadTeamQuality, isAdminRole } from '@countersign/shared';
import { Router, type CanActivateFn } from '@angular/router';
import { AuthService } from './auth.service';

/** Lets signed-in people through; sends everyone else to /login, remembering where they were going. */
export const signedInGuard: CanActivateFn = (_route, state) => {
  if (inject(AuthService).signedIn()) return true;
  return inject(Router).createUrlTree(['/login'], { queryParams: { returnUrl: state.url } });
};

/** Keeps a signed-in person off the login page. */
export const signedOutGuard: CanActivateFn = () =>
  inject(AuthService).signedIn() ? inject(Router).createUrlTree(['/worklist']) : true;

/** Admin screens (organization admins and the instance operator): anyone else goes back to the worklist (the server refuses them anyway). */
export const adminGuard: CanActivateFn = () => {
  const role = inject(AuthService).user()?.role;
  return role && isAdminRole(role) ? true : inject(Router).createUrlTree(['/worklist']);
};

/** The bulk export page: supervisors and admins (the server refuses anyone else anyway). */
export const exportGuard: CanActivateFn = () => {
  const role = inject(AuthService).user()?.role;
  return role && canExportClaims(role) ? true : inject(Router).createUrlTree(['/worklist']);
};

/** The team's quality pages (report, sampling): supervisors and admins (the server refuses anyone else anyway). */
export const teamQualityGuard: CanActivateFn = () => {
  const role = inject(AuthService).user()?.role;
  return role && canReadTeamQuality(role) ? true : inject(Router).createUrlTree(['/quality/me']);
};
