import { provideHttpClient, withFetch, withInterceptors } from '@angular/common/http';
import {
  inject,
  provideAppInitializer,
  provideBrowserGlobalErrorListeners,
  provideZonelessChangeDetection,
  type ApplicationConfig,
} from '@angular/core';
import { provideRouter, withComponentInputBinding } from '@angular/router';
import { routes } from './app.routes';
import { sessionExpiryInterceptor } from './core/api/session-expiry.interceptor';
import { AuthService } from './core/auth/auth.service';
import { DraftStore } from './encounter/drafts/draft-store';

/** Zoneless, signals throughout; the session is restored before the first route is chosen. */
export const appConfig: ApplicationConfig = {
  providers: [
    provideBrowserGlobalErrorListeners(),
    provideZonelessChangeDetection(),
    provideRouter(routes, withComponentInputBinding()),
    provideHttpClient(withFetch(), withInterceptors([sessionExpiryInterceptor])),
    provideAppInitializer(() => inject(AuthService).restore()),
    // Unsent drafts follow who is signed in from the start, so a sign-out anywhere empties them.
    provideAppInitializer(() => void inject(DraftStore)),
  ],
};
