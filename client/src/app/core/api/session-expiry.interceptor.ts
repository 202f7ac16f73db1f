import { HttpErrorResponse, type HttpInterceptorFn } from '@angular/common/http';
import { inject } from '@angular/core';
import { isApiErrorBody } from '@countersign/shared';
import { catchError, throwError } from 'rxjs';
import { AuthService } from '../auth/auth.service';

/**
 * A 401 `unauthenticated` from any API call means the session has ended: sign out and go to
 * /login. The auth endpoints answer 401 as part of their job, so they are left to AuthService.
 */
export const sessionExpiryInterceptor: HttpInterceptorFn = (request, next) => {
  const auth = inject(AuthService);
  return next(request).pipe(
    catchError((error: unknown) => {
      if (
        error instanceof HttpErrorResponse &&
        error.status === 401 &&
        isApiErrorBody(error.error) &&
        error.error.code === 'unauthenticated' &&
        !request.url.startsWith('/api/auth/')
      ) {
        auth.sessionEnded();
      }
      return throwError(() => error);
    }),
  );
};
