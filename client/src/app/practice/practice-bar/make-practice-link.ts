import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { RouterLink } from '@angular/router';
import { canReadTeamQuality, type Encounter } from '@countersign/shared';
import { AuthService } from '../../core/auth/auth.service';

/** On a signed-off real chart, for a supervisor or an admin: turn it into a practice chart. */
@Component({
  selector: 'cs-make-practice-link',
  imports: [MatButtonModule, MatIconModule, RouterLink],
  template: `
    @if (shown()) {
      <a
        mat-stroked-button
        [routerLink]="['/practice/make', encounter().id]"
        data-testid="make-practice-chart"
      >
        <mat-icon svgIcon="add" aria-hidden="true" />
        Make practice chart
      </a>
    }
  `,
  styles: `
    :host {
      display: block;
      margin-top: 8px;
    }
    :host:empty {
      display: none;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class MakePracticeLink {
  private readonly auth = inject(AuthService);
  readonly encounter = input.required<Encounter>();
  protected readonly shown = computed(() => {
    const role = this.auth.user()?.role;
    const e = this.encounter();
    return !!role && canReadTeamQuality(role) && e.status === 'signed_off' && e.purpose === 'claim';
  });
}
