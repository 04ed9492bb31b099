/**
 * Accepted tab tokens are remembered until they expire (bot/api/auth.ts `rememberAccepted`): the
 * signature is checked once per token, expiry on every use, and a refused token is checked again
 * every time. Real RS256 tokens and jose's checks.
 */
import { strict as assert } from 'node:assert';
import { SignJWT, createLocalJWKSet, exportJWK, generateKeyPair } from 'jose';
import {
  CLOCK_TOLERANCE_SECONDS,
  InvalidTokenError,
  type TokenValidator,
  createTokenValidator,
  rememberAccepted,
} from '../bot/api/auth';

const TENANT = '11111111-2222-4333-8444-555555555555';
const AUDIENCE = 'api://tab.council.example/app';

describe('remembering accepted tab tokens', () => {
  let checked: number;
  let validator: TokenValidator;
  let sign: (oid: string, expiresIn: number, forged?: boolean) => Promise<string>;

  before(async () => {
    const pair = await generateKeyPair('RS256');
    const forged = await generateKeyPair('RS256');
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256' };
    const inner = createTokenValidator({
      tenantId: TENANT,
      audiences: [AUDIENCE],
      keys: createLocalJWKSet({ keys: [jwk] }),
    });
    validator = {
      validate: (token) => {
        checked++;
        return inner.validate(token);
      },
    };
    sign = (oid, expiresIn, isForged = false) =>
      new SignJWT({ oid, tid: TENANT, scp: 'access_as_user' })
        .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
        .setIssuer(`https://login.microsoftonline.com/${TENANT}/v2.0`)
        .setAudience(AUDIENCE)
        .setIssuedAt()
        .setExpirationTime(Math.floor(Date.now() / 1000) + expiresIn)
        .sign(isForged ? forged.privateKey : pair.privateKey);
  });
  beforeEach(() => (checked = 0));

  it('checks a token’s signature once, and its expiry on every use', async () => {
    let now = Date.now();
    const remembering = rememberAccepted(validator, () => now);
    const token = await sign('p1', 600);
    const other = await sign('p2', 600);
    assert.equal((await remembering.validate(token)).oid, 'p1');
    assert.equal((await remembering.validate(token)).oid, 'p1');
    assert.equal((await remembering.validate(other)).oid, 'p2');
    assert.equal(checked, 2);
    // Past its expiry and the tolerance, the token goes back to the full check.
    now += (600 + CLOCK_TOLERANCE_SECONDS + 1) * 1000;
    await remembering.validate(token);
    assert.equal(checked, 3);
  });

  it('never remembers a refused token', async () => {
    const remembering = rememberAccepted(validator);
    const forged = await sign('p1', 600, true);
    for (let i = 0; i < 2; i++) await assert.rejects(remembering.validate(forged), InvalidTokenError);
    const expired = await sign('p1', -3600);
    for (let i = 0; i < 2; i++) await assert.rejects(remembering.validate(expired), InvalidTokenError);
    assert.equal(checked, 4);
  });
});
