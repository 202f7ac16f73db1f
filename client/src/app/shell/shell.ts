import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatToolbarModule } from '@angular/material/toolbar';
import { MatTooltipModule } from '@angular/material/tooltip';
import { RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { initials, isAdminRole } from '@countersign/shared';
import { AuthService } from '../core/auth/auth.service';

/** The signed-in frame: product, organization, navigation, who is signed in, sign out. */
@Component({
  selector: 'cs-shell',
  imports: [MatToolbarModule, MatButtonModule, MatIconModule, MatTooltipModule, RouterLink, RouterLinkActive, RouterOutlet],
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
  protected readonly userInitials = computed(() => initials(this.user()?.name ?? ''));

  protected signOut(): void {
    void this.auth.logout();
  }
}
