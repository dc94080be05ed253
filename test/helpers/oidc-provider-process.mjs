// A real OpenID Connect provider for the OIDC tests, run as its own process:
//   node test/helpers/oidc-provider-process.mjs <client_id> <client_secret> <redirect_uri>
// It prints "READY <issuer>" when listening. Its built-in development login form accepts any password
// for the accounts below.
import { createServer } from 'node:http';
import Provider from 'oidc-provider';

const [clientId, clientSecret, redirectUri] = process.argv.slice(2);
if (!clientId || !clientSecret || !redirectUri) {
  console.error('usage: oidc-provider-process.mjs <client_id> <client_secret> <redirect_uri>');
  process.exit(2);
}

const ACCOUNTS = {
  'staff-123': { email: 'social.worker@demo.pathway.test', email_verified: true, name: 'Megan Lewis' },
  'stranger-1': { email: 'nobody@example.test', email_verified: true, name: 'Not Known' },
};

const server = createServer();
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: clientId,
      client_secret: clientSecret,
      redirect_uris: [redirectUri],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    },
  ],
  // Pathway must always send a PKCE challenge, so the provider insists on one.
  pkce: { required: () => true },
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
  cookies: { keys: ['pathway-test-provider-cookie-key'] },
  async findAccount(_context, id) {
    const account = ACCOUNTS[id];
    if (!account) return undefined;
    return { accountId: id, claims: async () => ({ sub: id, ...account }) };
  },
});
// The provider warns about development settings on every start; the test only needs READY.
provider.on('server_error', (_context, error) => console.error('provider error', error.message));
server.on('request', provider.callback());
process.stdout.write(`READY ${issuer}\n`);
process.on('SIGTERM', () => server.close(() => process.exit(0)));
