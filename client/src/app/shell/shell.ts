import { ChangeDetectionStrategy, Component, computed, effect, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog, type MatDialogRef } from '@angular/material/dialog';
import { MatIconModule } from '@angular/material/icon';
import { MatToolbarModule } from '@angular/material/toolbar';
import { MatTooltipModule } from '@angular/material/tooltip';
import { RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { canExportClaims, canReadTeamQuality, initials, isAdminRole } from '@countersign/shared';
import { AuthService } from '../core/auth/auth.service';
import { IdleWarningDialog, type IdleWarningChoice } from '../core/auth/idle-warning-dialog';

/** The signed-in frame: product, organization, navigation, who is signed in, sign out, the idle warning. */
@Component({
  selector: 'cs-shell',
  imports: [
    MatToolbarModule,
    MatButtonModule,
    MatIconModule,
    MatTooltipModule,
    RouterLink,
    RouterLinkActive,
    RouterOutlet,
  ],
  templateUrl: './shell.html',
  styleUrl: './shell.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class Shell {
  private readonly auth = inject(AuthService);
  protected readonly user = this.auth.user;
  protected readonly isAdmin = computed(() => {
    const role = this.user()?.role;
    return role !== undefined && isAdminRole(role);
  });
  protected readonly canExport = computed(() => {
    const role = this.user()?.role;
    return role !== undefined && canExportClaims(role);
  });
  protected readonly canReadTeamQuality = computed(() => {
    const role = this.user()?.role;
    return role !== undefined && canReadTeamQuality(role);
  });
  protected readonly userInitials = computed(() => initials(this.user()?.name ?? ''));
  private readonly dialog = inject(MatDialog);
  private warningDialog: MatDialogRef<IdleWarningDialog, IdleWarningChoice> | null = null;

  constructor() {
    effect(() => this.showIdleWarning(this.auth.idleWarning()));
  }

  protected signOut(): void {
    void this.auth.logout();
  }

  /** Opens the warning when the auth service raises it, and closes it when activity cleared it. */
  private showIdleWarning(warning: ReturnType<AuthService['idleWarning']>): void {
    if (!warning) {
      this.warningDialog?.close();
      this.warningDialog = null;
      return;
    }
    if (this.warningDialog) return;
    const ref = this.dialog.open<IdleWarningDialog, typeof warning, IdleWarningChoice>(
      IdleWarningDialog,
      { data: warning, width: '420px' },
    );
    this.warningDialog = ref;
    ref.afterClosed().subscribe((choice) => {
      if (this.warningDialog === ref) this.warningDialog = null;
      if (choice === 'stay') this.auth.staySignedIn();
      else if (choice === 'sign-out') void this.auth.logout();
    });
  }
}
