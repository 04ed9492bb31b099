/**
 * A local stand-in for Bot Framework's token signing (issue 16; issue 19's security suite): an
 * OpenID configuration and a JWKS served on 127.0.0.1, and tokens signed as the Bot Framework
 * channel signs them — or wrongly, to prove each is refused. Point the service at it with
 * `BOT_OPENID_METADATA_URL`.
 */
import { type CryptoKey, SignJWT, exportJWK, generateKeyPair } from 'jose';
import { type Listening, listen } from '../../bot/listen';

/** The Bot Framework channel's token issuer (botframework-connector's AuthenticationConstants). */
export const CHANNEL_ISSUER = 'https://api.botframework.com';

/** How to sign one token; every field defaults to what the channel sends for the bot. */
export interface TokenOptions {
  readonly audience?: string;
  readonly issuer?: string;
  readonly serviceUrl?: string;
  /** Seconds from now the token expires (negative: already expired). */
  readonly expiresIn?: number;
  /** Sign with the key the server does not publish (a forged token). */
  readonly forged?: boolean;
  /** Sign with the published key that is endorsed only for another channel. */
  readonly otherChannelKey?: boolean;
}

/** A running key server. */
export interface BotTokenServer {
  /** The OpenID configuration's URL, for `BOT_OPENID_METADATA_URL`. */
  readonly metadataUrl: string;
  /** A signed `Authorization` header value for the bot `appId` and an activity's `serviceUrl`. */
  bearer(appId: string, serviceUrl: string, options?: TokenOptions): Promise<string>;
  close(): Promise<void>;
}

/** Starts the server with a Teams-endorsed key, a key endorsed for another channel, and a forger's key. */
export async function startBotTokenServer(): Promise<BotTokenServer> {
  const key = async (kid: string, endorsements: string[] | undefined) => {
    const pair = await generateKeyPair('RS256', { extractable: true });
    const jwk = {
      ...(await exportJWK(pair.publicKey)),
      kid,
      alg: 'RS256',
      use: 'sig',
      ...(endorsements ? { endorsements } : {}),
    };
    return { kid, privateKey: pair.privateKey, jwk };
  };
  const teams = await key('teams-key', ['msteams']);
  const other = await key('other-key', ['webchat']);
  const forger = await key('teams-key', ['msteams']);
  let base = '';
  const server: Listening = await listen(
    (req, res) => {
      const path = (req.url ?? '').split('?')[0];
      res.setHeader('content-type', 'application/json');
      if (path === '/.well-known/openidconfiguration') {
        res.end(
          JSON.stringify({
            issuer: CHANNEL_ISSUER,
            jwks_uri: `${base}/keys`,
            id_token_signing_alg_values_supported: ['RS256'],
          }),
        );
      } else if (path === '/keys') {
        res.end(JSON.stringify({ keys: [teams.jwk, other.jwk] }));
      } else {
        res.statusCode = 404;
        res.end('{}');
      }
    },
    0,
    '127.0.0.1',
  );
  base = `http://127.0.0.1:${server.port}`;
  const sign = (privateKey: CryptoKey, kid: string, appId: string, serviceUrl: string, o: TokenOptions) => {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ serviceurl: o.serviceUrl ?? serviceUrl })
      .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' })
      .setIssuer(o.issuer ?? CHANNEL_ISSUER)
      .setAudience(o.audience ?? appId)
      .setIssuedAt(now - 60)
      .setNotBefore(now - 60)
      .setExpirationTime(now + (o.expiresIn ?? 3600))
      .sign(privateKey);
  };
  return {
    metadataUrl: `${base}/.well-known/openidconfiguration`,
    bearer: async (appId, serviceUrl, options = {}) => {
      const signer = options.forged ? forger : options.otherChannelKey ? other : teams;
      return `Bearer ${await sign(signer.privateKey, signer.kid, appId, serviceUrl, options)}`;
    },
    close: () => server.close(),
  };
}
