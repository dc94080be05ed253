// Sign-in through the council's identity provider (OpenID Connect, authorization code flow with PKCE).
import * as client from 'openid-client';
import type { OidcConfig } from '../../config.ts';

export interface PendingOidcSignIn {
  state: string;
  nonce: string;
  codeVerifier: string;
  returnTo: string;
}

export interface OidcIdentity {
  subject: string;
  email: string | undefined;
}

export class OidcSignIn {
  private configuration: Promise<client.Configuration> | undefined;

  private readonly config: OidcConfig;

  constructor(config: OidcConfig) {
    this.config = config;
  }

  private discover(): Promise<client.Configuration> {
    this.configuration ??= client
      .discovery(
        new URL(this.config.issuer),
        this.config.clientId,
        this.config.clientSecret,
        undefined,
        // Only for a provider on plain http (a local test provider); config.ts allows it for http:// issuers alone.
        // eslint-disable-next-line @typescript-eslint/no-deprecated -- deprecated only to make insecure use stand out
        this.config.allowInsecureIssuer ? { execute: [client.allowInsecureRequests] } : undefined,
      )
      .catch((error: unknown) => {
        // Try discovery again next time: the provider may only have been briefly away.
        this.configuration = undefined;
        throw error;
      });
    return this.configuration;
  }

  async start(returnTo: string): Promise<{ redirectTo: URL; pending: PendingOidcSignIn }> {
    const configuration = await this.discover();
    const pending: PendingOidcSignIn = {
      state: client.randomState(),
      nonce: client.randomNonce(),
      codeVerifier: client.randomPKCECodeVerifier(),
      returnTo,
    };
    const redirectTo = client.buildAuthorizationUrl(configuration, {
      redirect_uri: this.config.redirectUri,
      scope: 'openid email profile',
      code_challenge: await client.calculatePKCECodeChallenge(pending.codeVerifier),
      code_challenge_method: 'S256',
      state: pending.state,
      nonce: pending.nonce,
    });
    return { redirectTo, pending };
  }

  async finish(callbackUrl: URL, pending: PendingOidcSignIn): Promise<OidcIdentity> {
    const configuration = await this.discover();
    const tokens = await client.authorizationCodeGrant(configuration, callbackUrl, {
      pkceCodeVerifier: pending.codeVerifier,
      expectedState: pending.state,
      expectedNonce: pending.nonce,
      idTokenExpected: true,
    });
    const claims = tokens.claims();
    if (!claims) throw new Error('The identity provider returned no ID token claims');
    // Many providers put email only in the userinfo response, not in the ID token.
    const source =
      typeof claims.email === 'string'
        ? claims
        : await client.fetchUserInfo(configuration, tokens.access_token, claims.sub);
    const email = typeof source.email === 'string' && source.email_verified !== false ? source.email : undefined;
    return { subject: claims.sub, email };
  }
}
