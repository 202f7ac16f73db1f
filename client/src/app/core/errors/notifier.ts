import { Injectable, inject } from '@angular/core';
import { MatSnackBar } from '@angular/material/snack-bar';
import { toApiError } from '../api/api-error';

/** Short messages at the bottom of the screen; failures carry the server's `message`. */
@Injectable({ providedIn: 'root' })
export class Notifier {
  private readonly snackBar = inject(MatSnackBar);

  error(error: unknown): void {
    this.snackBar.open(toApiError(error).message, 'Dismiss', {
      duration: 8000,
      panelClass: 'cs-snack-error',
      politeness: 'assertive',
    });
  }

  info(message: string): void {
    this.snackBar.open(message, undefined, { duration: 3000 });
  }
}
