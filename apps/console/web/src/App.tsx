import { useCallback, useEffect, useState } from 'react';
import { api, ApiError, rememberCsrf, type Session } from './api';
import { BalancesPage } from './pages/Balances';
import { CorrectionsPage } from './pages/Corrections';
import { DeadLettersPage } from './pages/DeadLetters';
import { DebitDetail } from './pages/DebitDetail';
import { OverviewPage } from './pages/Overview';
import { PaymentDetail } from './pages/PaymentDetail';
import { ReconcilePage } from './pages/Reconcile';
import { ResolveUnknownPage } from './pages/ResolveUnknown';
import { SearchPage } from './pages/Search';
import { SignIn } from './pages/SignIn';

/** `#/path?query`: the page's own routing, so the server only ever serves index.html and its assets. */
function useHash(): [string, URLSearchParams] {
  const read = () => window.location.hash.replace(/^#/, '') || '/';
  const [hash, setHash] = useState(read);
  useEffect(() => {
    const onChange = () => setHash(read());
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  const [path = '/', query = ''] = hash.split('?');
  return [path, new URLSearchParams(query)];
}

const NAV = [
  { href: '#/', label: 'Overview', match: (p: string) => p === '/' },
  { href: '#/search', label: 'Search', match: (p: string) => p === '/search' || p.startsWith('/payments/') || p.startsWith('/debits/') },
  { href: '#/resolve', label: 'UNKNOWN debits', match: (p: string) => p === '/resolve' },
  { href: '#/reconcile', label: 'Reconcile', match: (p: string) => p === '/reconcile' },
  { href: '#/corrections', label: 'Corrections', match: (p: string) => p === '/corrections' },
  { href: '#/accounts', label: 'Balances', match: (p: string) => p === '/accounts' || p.startsWith('/accounts/') },
  { href: '#/dead-letters', label: 'Dead letters', match: (p: string) => p === '/dead-letters' },
];

export function App() {
  const [session, setSession] = useState<Session | null | undefined>(undefined);
  const [path, query] = useHash();

  const signedIn = useCallback((s: Session | null) => {
    rememberCsrf(s ?? undefined);
    setSession(s);
  }, []);

  useEffect(() => {
    api<Session>('/api/me').then(signedIn, () => signedIn(null));
  }, [signedIn]);

  // A 401 anywhere (the session expired or was ended): back to the sign-in page.
  const onUnauthorized = useCallback(
    (error: unknown) => {
      if (error instanceof ApiError && error.status === 401) signedIn(null);
    },
    [signedIn],
  );

  if (session === undefined) return <p className="loading">Loading…</p>;
  if (session === null) return <SignIn onSignedIn={signedIn} />;

  const signOut = async () => {
    await api('/api/session', { method: 'DELETE' }).catch(() => undefined);
    signedIn(null);
  };

  let page;
  if (path === '/') page = <OverviewPage onError={onUnauthorized} />;
  else if (path === '/search') page = <SearchPage query={query} onError={onUnauthorized} />;
  else if (path.startsWith('/payments/'))
    page = <PaymentDetail id={decodeURIComponent(path.slice(10))} roles={session.roles} onError={onUnauthorized} />;
  else if (path === '/reconcile') page = <ReconcilePage roles={session.roles} onError={onUnauthorized} />;
  else if (path.startsWith('/debits/')) page = <DebitDetail id={decodeURIComponent(path.slice(8))} onError={onUnauthorized} />;
  else if (path === '/resolve') page = <ResolveUnknownPage session={session} onError={onUnauthorized} />;
  else if (path === '/corrections') page = <CorrectionsPage session={session} query={query} onError={onUnauthorized} />;
  else if (path === '/accounts' || path.startsWith('/accounts/'))
    page = <BalancesPage accountId={decodeURIComponent(path.slice(10))} onError={onUnauthorized} />;
  else if (path === '/dead-letters') page = <DeadLettersPage session={session} onError={onUnauthorized} />;
  else page = <h1>Not found</h1>;

  return (
    <div className="layout">
      <a className="skip" href="#main">
        Skip to content
      </a>
      <aside className="sidebar">
        <div className="brand">
          mm <span>console</span>
        </div>
        <nav aria-label="Main">
          <ul>
            {NAV.map((n) => (
              <li key={n.href}>
                <a href={n.href} aria-current={n.match(path) ? 'page' : undefined}>
                  {n.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
      </aside>
      <div className="content">
        <header className="topbar">
          <span className="who">
            Signed in as <strong>{session.username}</strong>{' '}
            {session.roles.map((r) => (
              <span key={r} className="badge badge-neutral">
                {r}
              </span>
            ))}
          </span>
          <button type="button" className="button-secondary" onClick={() => void signOut()}>
            Sign out
          </button>
        </header>
        <main id="main" tabIndex={-1}>
          {page}
        </main>
      </div>
    </div>
  );
}
