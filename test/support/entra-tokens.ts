/**
 * A local stand-in for Entra ID's signing keys for the tab API (Teams SSO): a JWKS served on
 * 127.0.0.1 (`TAB_JWKS_URL`) and access tokens for the tab app signed with its key, as Entra
 * issues them for `access_as_user`. For benchmarks and tests that run the service as deployed.
 */
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import { type Listening, listen } from '../../bot/listen';

/** A running key server and the settings that point the service at it. */
export interface EntraKeyServer {
  /** `TAB_JWKS_URL`, `TAB_API_AUDIENCE` and `TAB_TENANT_ID` for the service. */
  readonly env: Readonly<Record<string, string>>;
  /** An access token for the person with this Entra object id, valid for an hour. */
  token(oid: string): Promise<string>;
  close(): Promise<void>;
}

/** Starts the server for a tenant and the tab app's Application ID URI. */
export async function startEntraKeyServer(tenant: string, audience: string): Promise<EntraKeyServer> {
  const kid = 'tab-key';
  const pair = await generateKeyPair('RS256', { extractable: true });
  const jwk = { ...(await exportJWK(pair.publicKey)), kid, alg: 'RS256', use: 'sig' };
  const server: Listening = await listen(
    (_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: [jwk] }));
    },
    0,
    '127.0.0.1',
  );
  return {
    env: {
      TAB_JWKS_URL: `http://127.0.0.1:${server.port}/keys`,
      TAB_API_AUDIENCE: audience,
      TAB_TENANT_ID: tenant,
    },
    token: (oid) => {
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({ oid, tid: tenant, scp: 'access_as_user', ver: '2.0', name: 'Bench User' })
        .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid })
        .setIssuer(`https://login.microsoftonline.com/${tenant}/v2.0`)
        .setAudience(audience)
        .setIssuedAt(now - 60)
        .setExpirationTime(now + 3600)
        .sign(pair.privateKey);
    },
    close: () => server.close(),
  };
}
