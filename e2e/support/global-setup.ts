import { request, type FullConfig } from '@playwright/test';
import { DEMO, FULL_REVIEW_POLICY } from './session.js';

/**
 * Runs once the server answers and before any spec: the demo organization reviews every chart.
 * The demo comes with a reviewed history (docs/domain.md section 10.5), so under the default
 * sampling policy a demo coder can be past the new-coder level, and a spec's submitted chart
 * would skip review at random. The sampling spec sets its own policy and puts this one back.
 */
export default async function globalSetup(config: FullConfig): Promise<void> {
  const baseURL = config.projects[0]?.use.baseURL;
  const api = await request.newContext({ baseURL });
  try {
    const login = await api.post('/api/auth/login', {
      data: { email: DEMO.supervisor.email, password: DEMO.password },
    });
    if (login.status() !== 200) throw new Error(`Supervisor sign-in answered ${login.status()}`);
    const put = await api.put('/api/sampling/policy', { data: FULL_REVIEW_POLICY });
    if (put.status() !== 200)
      throw new Error(`Setting the sampling policy answered ${put.status()}`);
  } finally {
    await api.dispose();
  }
}
