/**
 * The one loop that carries out a plan's actions, shared by `revoke` and `cert rotate --finish`: in order (no
 * new logins before the tokens go, the tokens before the app), each announced, each journaled once done (what
 * an interruption reports). `run` does the work (the caller's org code); for a token revocation it returns how
 * many tokens the org still lists afterwards. No I/O of its own.
 */
export type InOrderUi = { step(title: string): void; done(summary?: string): void };

export type Applied<A> = { done: A[]; tokensLeft?: number };

export async function applyInOrder<A extends { kind: string; target: string }>(
  actions: readonly A[],
  how: { run: (action: A) => Promise<number | undefined>; title: (action: A) => string; ui: InOrderUi; journal: string[] }
): Promise<Applied<A>> {
  const done: A[] = [];
  let tokensLeft: number | undefined;
  for (const action of actions) {
    how.ui.step(how.title(action));
    // eslint-disable-next-line no-await-in-loop -- in order, by design
    const left = await how.run(action);
    if (action.kind === 'revoke-tokens') tokensLeft = left;
    done.push(action);
    how.journal.push(`${action.kind} ${action.target}`);
    how.ui.done();
  }
  return { done, tokensLeft };
}
