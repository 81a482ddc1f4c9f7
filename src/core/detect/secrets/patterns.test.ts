import { describe, expect, it } from 'vitest';
import { looksLikeIdentifier, SECRET_PATTERNS } from './patterns.js';
import { createSecretScanner } from './scanner.js';

// Every test secret is generated here at run time (deterministic PRNG), so the repository holds no
// realistic secret literal for push protection or scanners to trip on.
let state = 0x2545f491;
function fake(alphabet: string, n: number): string {
  let out = '';
  for (let i = 0; i < n; i++) {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    out += alphabet[((t ^ (t >>> 14)) >>> 0) % alphabet.length];
  }
  return out;
}
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const DIGITS = '0123456789';
const HEX = '0123456789abcdef';
const ALNUM = UPPER + LOWER + DIGITS;
const URLSAFE = ALNUM + '_-';
const B64 = ALNUM + '+/';
const uuid = () => `${fake(HEX, 8)}-${fake(HEX, 4)}-${fake(HEX, 4)}-${fake(HEX, 4)}-${fake(HEX, 12)}`;
const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

const scanner = createSecretScanner({ key: Buffer.from('patterns-test-key') });

interface Fire {
  readonly name: string;
  readonly kind: string;
  readonly text: string;
  /** The secret the match must span. */
  readonly secret: string;
}

function fire(name: string, kind: string, secret: string, before = '', after = ''): Fire {
  return { name, kind, text: before + secret + after, secret };
}

const pem = (type: string) => `-----BEGIN ${type}-----\n${fake(B64, 70)}\n${fake(B64, 70)}\n${fake(B64, 24)}==\n-----END ${type}-----`;
const slackPath = () => `T${fake(UPPER + DIGITS, 8)}/B${fake(UPPER + DIGITS, 8)}/${fake(ALNUM, 24)}`;
const teamsPath = () => `${uuid()}@${uuid()}/IncomingWebhook/${fake(HEX, 32)}/${uuid()}`;
const jwt = () => `${b64url({ alg: 'HS256', typ: 'JWT' })}.${b64url({ sub: fake(DIGITS, 10), name: 'Test User', iat: 1700000000 })}.${fake(URLSAFE, 43)}`;

const FIRES: Fire[] = [
  (() => {
    const block = pem('OPENSSH PRIVATE KEY');
    return { name: 'an OpenSSH private key block read from a file', kind: 'private-key', text: `cat ~/.ssh/id_ed25519\n${block}\n`, secret: block };
  })(),
  fire('an age secret key in a keys file', 'age-secret-key', 'AGE-SECRET-KEY-1' + fake('QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L', 58), '# created: 2026-01-01\n'),
  fire('the AWS documentation access key id in a prompt', 'aws-access-token', 'AKIA' + 'IOSFODNN7EXAMPLE', 'my key is '),
  fire('an AWS session key id in an env assignment', 'aws-access-token', 'ASIA' + fake(UPPER + '234567', 16), 'AWS_ACCESS_KEY_ID='),
  fire('an AWS secret access key in a credentials file', 'aws-secret-access-key', fake(ALNUM + '/+', 40), '[default]\naws_secret_access_key = ', '\n'),
  fire('an AWS secret access key in `aws sts` JSON output', 'aws-secret-access-key', fake(ALNUM + '/+', 40), '{"Credentials": {"SecretAccessKey": "', '"}}'),
  fire('a Google API key in a URL', 'gcp-api-key', 'AIza' + fake(URLSAFE, 35), 'https://maps.googleapis.com/maps/api/geocode/json?key=', ' '),
  fire('an Azure AD client secret', 'azure-ad-client-secret', fake(ALNUM, 3) + '8Q~' + fake(ALNUM + '_~.-', 34), 'AZURE_CLIENT_SECRET="', '"'),
  fire('an Azure storage account key in a connection string', 'azure-storage-account-key', fake(B64, 86) + '==', 'DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=', ';EndpointSuffix=core.windows.net'),
  fire('a DigitalOcean OAuth token', 'digitalocean-access-token', 'doo_v1_' + fake(HEX, 64), 'token: '),
  fire('a DigitalOcean personal access token', 'digitalocean-pat', 'dop_v1_' + fake(HEX, 64), 'doctl auth init -t '),
  fire('a DigitalOcean refresh token', 'digitalocean-refresh-token', 'dor_v1_' + fake(HEX, 64), '"refresh_token": "', '"'),
  fire('a Heroku v2 API key', 'heroku-api-key-v2', 'HRKU-AA' + fake(URLSAFE, 58), 'HEROKU_API_KEY=', '\n'),
  fire('a Heroku API key assigned to a heroku variable', 'heroku-api-key', uuid(), 'HEROKU_API_KEY=', '\n'),
  fire('a Terraform Cloud API token', 'hashicorp-tf-api-token', fake(ALNUM, 14) + '.atlasv1.' + fake(URLSAFE, 64), 'token = "', '"'),
  fire('a Vault service token', 'vault-service-token', 'hvs.' + fake(URLSAFE, 95), 'export VAULT_TOKEN=', '\n'),
  fire('a Vault batch token', 'vault-batch-token', 'hvb.' + fake(URLSAFE, 150), 'X-Vault-Token: ', '\n'),
  fire('a Databricks API token', 'databricks-api-token', 'dapi' + fake(HEX, 32), 'DATABRICKS_TOKEN=', '\n'),
  fire('a Doppler API token', 'doppler-api-token', 'dp.pt.' + fake(ALNUM, 43), 'doppler configure set token '),
  fire('a Pulumi access token', 'pulumi-api-token', 'pul-' + fake(HEX, 40), 'PULUMI_ACCESS_TOKEN=', '\n'),
  fire('a 1Password service account token', '1password-service-account-token', 'ops_eyJ' + fake(ALNUM + '+/', 300), 'OP_SERVICE_ACCOUNT_TOKEN=', '\n'),
  fire('a GitHub fine-grained token', 'github-fine-grained-pat', 'github_pat_' + fake(ALNUM + '_', 82), 'GH_TOKEN=', '\n'),
  fire('a GitHub personal access token in a curl header', 'github-pat', 'ghp_' + fake(ALNUM, 36), 'curl -H "Authorization: token ', '" https://api.github.com/user'),
  fire('a GitHub OAuth token in gh hosts.yml', 'github-oauth', 'gho_' + fake(ALNUM, 36), 'github.com:\n    oauth_token: ', '\n'),
  fire('a GitHub app token in a clone URL', 'github-app-token', 'ghs_' + fake(ALNUM, 36), 'git clone https://x-access-token:', '@github.com/o/r.git'),
  fire('a GitHub refresh token', 'github-refresh-token', 'ghr_' + fake(ALNUM, 36), '"refresh_token":"', '"'),
  fire('a routable GitLab token (not the shorter legacy match inside it)', 'gitlab-pat-routable', 'glpat-' + fake(ALNUM, 40) + '.01' + fake(LOWER + DIGITS, 7), 'PRIVATE-TOKEN: ', '\n'),
  fire('a GitLab personal access token', 'gitlab-pat', 'glpat-' + fake(ALNUM, 20), 'git push https://oauth2:', '@gitlab.com/g/p.git'),
  fire('a GitLab pipeline trigger token', 'gitlab-ptt', 'glptt-' + fake(HEX, 40), 'curl -F token='),
  fire('a GitLab runner registration token', 'gitlab-rrt', 'GR1348941' + fake(URLSAFE, 20), 'gitlab-runner register --registration-token '),
  fire('a GitLab runner authentication token', 'gitlab-runner-authentication-token', 'glrt-' + fake(URLSAFE, 20), 'token = "', '"'),
  fire('a GitLab deploy token', 'gitlab-deploy-token', 'gldt-' + fake(URLSAFE, 20), 'docker login -u deployer -p '),
  fire('an npm token in .npmrc', 'npm-access-token', 'npm_' + fake(LOWER + DIGITS, 36), '//registry.npmjs.org/:_authToken=', '\n'),
  fire('a PyPI upload token', 'pypi-upload-token', 'pypi-AgEIcHlwaS5vcmc' + fake(URLSAFE, 80), 'password = ', '\n'),
  fire('a RubyGems API key', 'rubygems-api-token', 'rubygems_' + fake(HEX, 48), ':rubygems_api_key: ', '\n'),
  fire('an Anthropic admin key', 'anthropic-admin-api-key', 'sk-ant-admin01-' + fake(URLSAFE, 93) + 'AA', 'x-api-key: ', '\n'),
  fire('an Anthropic API key', 'anthropic-api-key', 'sk-ant-api03-' + fake(URLSAFE, 93) + 'AA', 'ANTHROPIC_API_KEY=', '\n'),
  fire('a Claude OAuth token', 'anthropic-oauth-token', 'sk-ant-oat01-' + fake(URLSAFE, 93) + 'AA', 'CLAUDE_CODE_OAUTH_TOKEN=', '\n'),
  fire('an OpenAI project key', 'openai-api-key', 'sk-proj-' + fake(URLSAFE, 74) + 'T3BlbkFJ' + fake(URLSAFE, 74), 'OPENAI_API_KEY=', '\n'),
  fire('a legacy OpenAI key', 'openai-api-key', 'sk-' + fake(ALNUM, 20) + 'T3BlbkFJ' + fake(ALNUM, 20), 'openai.api_key = "', '"'),
  fire('a Hugging Face token', 'huggingface-access-token', 'hf_' + fake(UPPER + LOWER, 34), 'huggingface-cli login --token ', ' '),
  fire('a Hugging Face organization token', 'huggingface-organization-api-token', 'api_org_' + fake(UPPER + LOWER, 34), 'HF_ORG_TOKEN=', '\n'),
  fire('a Perplexity key', 'perplexity-api-key', 'pplx-' + fake(ALNUM, 48), 'PPLX_API_KEY=', '\n'),
  fire('a Slack bot token', 'slack-bot-token', `xoxb-${fake(DIGITS, 12)}-${fake(DIGITS, 13)}-${fake(ALNUM, 24)}`, 'SLACK_BOT_TOKEN=', '\n'),
  fire('a legacy Slack bot token', 'slack-legacy-bot-token', `xoxb-${fake(DIGITS, 10)}-${fake(ALNUM, 24)}`, 'token: '),
  fire('a Slack user token', 'slack-user-token', `xoxp-${fake(DIGITS, 11)}-${fake(DIGITS, 11)}-${fake(DIGITS, 12)}-${fake(HEX, 32)}`, 'SLACK_USER_TOKEN=', '\n'),
  fire('a Slack app-level token', 'slack-app-token', `xapp-1-A${fake(UPPER + DIGITS, 10)}-${fake(DIGITS, 13)}-${fake(HEX, 64)}`, 'SLACK_APP_TOKEN=', '\n'),
  fire('a legacy Slack token', 'slack-legacy-token', `xoxs-${fake(DIGITS, 10)}-${fake(DIGITS, 10)}-${fake(DIGITS, 10)}-${fake(HEX, 64)}`, 'token='),
  fire('a Slack configuration token', 'slack-config-access-token', 'xoxe.xoxp-1-' + fake(UPPER + DIGITS, 164), 'SLACK_CONFIG_TOKEN=', '\n'),
  fire('a Slack configuration refresh token', 'slack-config-refresh-token', 'xoxe-1-' + fake(UPPER + DIGITS, 146), 'refresh: '),
  fire('a Slack webhook (its path, the host stays readable)', 'slack-webhook-url', slackPath(), 'curl -X POST https://hooks.slack.com/services/', " -d '{}'"),
  fire('a Discord webhook (id and token)', 'discord-webhook-url', `${fake(DIGITS, 18)}/${fake(URLSAFE, 68)}`, 'https://discord.com/api/webhooks/', ' '),
  fire('a Microsoft Teams webhook', 'microsoft-teams-webhook', teamsPath(), 'https://contoso.webhook.office.com/webhookb2/', ' '),
  fire('a Telegram bot token in a Bot API URL', 'telegram-bot-api-token', `${fake(DIGITS, 10)}:AA${fake(URLSAFE, 33)}`, 'curl https://api.telegram.org/bot', '/sendMessage'),
  fire('a Telegram bot token assigned to a telegram variable', 'telegram-bot-api-token', `${fake(DIGITS, 10)}:A${fake(URLSAFE, 34)}`, 'TELEGRAM_BOT_TOKEN=', '\n'),
  fire('a Stripe live secret key', 'stripe-access-token', 'sk_live_' + fake(ALNUM, 24), 'Stripe.api_key = "', '"'),
  fire('a Stripe restricted test key', 'stripe-access-token', 'rk_test_' + fake(ALNUM, 24), 'STRIPE_KEY=', '\n'),
  fire('a Shopify access token', 'shopify-access-token', 'shpat_' + fake(HEX, 32), 'X-Shopify-Access-Token: '),
  fire('a Shopify custom app token', 'shopify-custom-access-token', 'shpca_' + fake(HEX, 32), 'token='),
  fire('a Shopify private app token', 'shopify-private-app-access-token', 'shppa_' + fake(HEX, 32), 'token='),
  fire('a Shopify shared secret', 'shopify-shared-secret', 'shpss_' + fake(HEX, 32), 'secret='),
  fire('a Twilio API key', 'twilio-api-key', 'SK' + fake(HEX, 32), 'TWILIO_API_KEY_SID=', '\n'),
  fire('a SendGrid key', 'sendgrid-api-token', `SG.${fake(URLSAFE, 22)}.${fake(URLSAFE, 43)}`, 'SENDGRID_API_KEY=', '\n'),
  fire('a Mailgun private key', 'mailgun-private-api-token', 'key-' + fake(HEX, 32), 'MAILGUN_API_KEY=', '\n'),
  fire('a Mailgun webhook signing key', 'mailgun-signing-key', `${fake('abcdefgh0123456789', 32)}-${fake('abcdefgh0123456789', 8)}-${fake('abcdefgh0123456789', 8)}`, 'mailgun_signing_key: ', '\n'),
  fire('a Mailchimp key', 'mailchimp-api-key', fake(HEX, 32) + '-us12', 'MAILCHIMP_API_KEY=', '\n'),
  fire('a Linear key', 'linear-api-key', 'lin_api_' + fake(ALNUM, 40), 'LINEAR_API_KEY=', '\n'),
  fire('a Postman key', 'postman-api-token', `PMAK-${fake(HEX, 24)}-${fake(HEX, 34)}`, 'X-Api-Key: ', '\n'),
  fire('a Notion integration token', 'notion-api-token', 'ntn_' + fake(DIGITS, 11) + fake(ALNUM, 35), 'NOTION_TOKEN=', '\n'),
  fire('an Atlassian API token', 'atlassian-api-token', 'ATATT3' + fake(URLSAFE + '=', 186), 'JIRA_API_TOKEN=', '\n'),
  fire('a Grafana API key', 'grafana-api-key', 'eyJrIjoi' + fake(ALNUM, 80), 'Authorization: Bearer ', '\n'),
  fire('a Grafana Cloud token', 'grafana-cloud-api-token', 'glc_' + fake(ALNUM + '+/', 60), 'GRAFANA_CLOUD_TOKEN=', '\n'),
  fire('a Grafana service account token', 'grafana-service-account-token', `glsa_${fake(ALNUM, 32)}_${fake(HEX, 8)}`, 'GRAFANA_TOKEN=', '\n'),
  fire('a Sentry user token', 'sentry-user-token', 'sntryu_' + fake(HEX, 64), 'SENTRY_AUTH_TOKEN=', '\n'),
  fire('a JWT in a bearer header', 'jwt', jwt(), 'curl -H "Authorization: Bearer ', '" https://api.example.com/me'),
  fire('a database password in a connection URL', 'password-in-url', fake(ALNUM, 16), 'DATABASE_URL=postgres://app:', '@db.internal:5432/app'),
  fire('an opaque bearer token in an Authorization header', 'authorization-header', fake(ALNUM, 40), 'curl -H "Authorization: Bearer ', '" https://api.example.com'),
  fire('a generic API key assignment (the AGT-SECRET-001 example)', 'generic-api-key', 'q8Zt3LmV9x' + 'R2pK7wN4sJ', 'api_key = "', '"'),
  fire('a client secret in JSON', 'generic-api-key', fake(ALNUM, 32), '{"client_secret": "', '"}'),
  fire('a password in an env file', 'generic-api-key', fake(ALNUM, 16), 'DB_PASSWORD=', '\n'),
  fire('an API key in a query string', 'generic-api-key', fake(ALNUM, 24), 'https://api.example.com/v1/search?api_key=', '&q=cats'),
];

const SILENT: { readonly kind: string; readonly text: string }[] = [
  { kind: 'private-key', text: "if (pem.startsWith('-----BEGIN RSA PRIVATE KEY-----')) return 'pkcs1';" },
  { kind: 'private-key', text: 'The file starts with -----BEGIN PRIVATE KEY----- and ends with the matching END line.' },
  { kind: 'age-secret-key', text: 'AGE-SECRET-KEY-1' + 'b'.repeat(58) },
  { kind: 'aws-access-token', text: 'AKIA' + 'A'.repeat(16) },
  { kind: 'aws-access-token', text: 'use the AWS_ACCESS_KEY_ID env var' },
  { kind: 'aws-secret-access-key', text: 'aws_secret_access_key = $AWS_SECRET_ACCESS_KEY' },
  { kind: 'aws-secret-access-key', text: 'aws_secret_access_key = ' + 'x'.repeat(40) },
  { kind: 'gcp-api-key', text: 'const key = "AIza" + suffix;' },
  { kind: 'azure-ad-client-secret', text: 'see the Q~ prefix of client secrets' },
  { kind: 'azure-storage-account-key', text: 'AccountKey=${STORAGE_KEY};EndpointSuffix=core.windows.net' },
  { kind: 'digitalocean-access-token', text: 'doo_v1_' + fake(HEX, 63) + 'z' },
  { kind: 'digitalocean-pat', text: 'dop_v1_' + fake(HEX, 20) },
  { kind: 'digitalocean-refresh-token', text: 'dor_v1_<refresh token>' },
  { kind: 'heroku-api-key-v2', text: 'HRKU-AA' + fake(URLSAFE, 20) },
  { kind: 'heroku-api-key', text: 'HEROKU_API_KEY=$(heroku auth:token)' },
  { kind: 'hashicorp-tf-api-token', text: 'short.atlasv1.' + fake(URLSAFE, 64) },
  { kind: 'vault-service-token', text: 'hvs.' + fake(URLSAFE, 40) },
  { kind: 'vault-batch-token', text: 'hvb.' + fake(URLSAFE, 100) },
  { kind: 'databricks-api-token', text: 'dapi' + fake(HEX, 31) + 'x' },
  { kind: 'doppler-api-token', text: 'dp.pt.' + fake(ALNUM, 20) },
  { kind: 'pulumi-api-token', text: 'pul-' + fake(HEX, 39) },
  { kind: '1password-service-account-token', text: 'ops_eyJ' + fake(ALNUM, 100) },
  { kind: 'github-fine-grained-pat', text: 'github_pat_' + fake(ALNUM, 40) },
  { kind: 'github-pat', text: 'ghp_' + fake(ALNUM, 20) },
  { kind: 'github-pat', text: 'use the GITHUB_TOKEN env var' },
  { kind: 'github-oauth', text: 'gho_' + 'a'.repeat(36) },
  { kind: 'github-app-token', text: 'ghs_...' },
  { kind: 'github-refresh-token', text: 'ghr_' + fake(ALNUM, 30) },
  { kind: 'gitlab-pat-routable', text: 'glpat-' + fake(ALNUM, 10) + '.' },
  { kind: 'gitlab-pat', text: 'glpat-xxxxxxxxxxxxxxxxxxxx' },
  { kind: 'gitlab-ptt', text: 'glptt-' + fake(HEX, 20) },
  { kind: 'gitlab-rrt', text: 'GR1348941' + fake(ALNUM, 10) },
  { kind: 'gitlab-runner-authentication-token', text: 'glrt-' + fake(ALNUM, 10) },
  { kind: 'gitlab-deploy-token', text: 'gldt-' + fake(ALNUM, 10) },
  { kind: 'npm-access-token', text: 'npm_config_cache=/tmp/npm' },
  { kind: 'pypi-upload-token', text: 'pypi-AgEIcHlwaS5vcmc' + fake(ALNUM, 10) },
  { kind: 'rubygems-api-token', text: 'rubygems_' + fake(HEX, 40) },
  { kind: 'anthropic-admin-api-key', text: 'sk-ant-admin01-' + fake(URLSAFE, 93) + 'xy' },
  { kind: 'anthropic-api-key', text: 'sk-ant-api03-' + fake(URLSAFE, 50) + 'AA' },
  { kind: 'anthropic-oauth-token', text: 'sk-ant-oat01-' + fake(URLSAFE, 30) },
  { kind: 'openai-api-key', text: 'sk-' + fake(ALNUM, 10) + 'T3BlbkFJ' + fake(ALNUM, 10) },
  { kind: 'huggingface-access-token', text: 'hf_' + fake(ALNUM, 20) + '12' + fake(ALNUM, 12) },
  { kind: 'huggingface-organization-api-token', text: 'api_org_settings' },
  { kind: 'perplexity-api-key', text: 'pplx-' + fake(ALNUM, 30) },
  { kind: 'slack-bot-token', text: 'xoxb-not-a-token' },
  { kind: 'slack-legacy-bot-token', text: 'xoxb-' + fake(DIGITS, 10) + '-' + fake(ALNUM, 10) },
  { kind: 'slack-user-token', text: 'xoxp-' + fake(DIGITS, 11) + '-' + fake(HEX, 32) },
  { kind: 'slack-app-token', text: 'xapp-token-here' },
  { kind: 'slack-legacy-token', text: 'xoxs-abc-def' },
  { kind: 'slack-config-access-token', text: 'xoxe.xoxp-1-' + fake(UPPER, 40) },
  { kind: 'slack-config-refresh-token', text: 'xoxe-1-' + fake(UPPER, 40) },
  { kind: 'slack-webhook-url', text: 'post to https://hooks.slack.com/services/ with your webhook' },
  { kind: 'discord-webhook-url', text: 'https://discord.com/api/webhooks/{id}/{token}' },
  { kind: 'microsoft-teams-webhook', text: 'https://contoso.webhook.office.com/webhookb2/<guid>' },
  { kind: 'telegram-bot-api-token', text: 'curl https://api.telegram.org/bot<token>/getMe' },
  { kind: 'stripe-access-token', text: 'sk_live_abc' },
  { kind: 'shopify-access-token', text: 'shpat_' + fake(HEX, 16) },
  { kind: 'shopify-custom-access-token', text: 'shpca_' + fake(HEX, 16) },
  { kind: 'shopify-private-app-access-token', text: 'shppa_' + fake(HEX, 16) },
  { kind: 'shopify-shared-secret', text: 'shpss_' + fake(HEX, 16) },
  { kind: 'twilio-api-key', text: 'TASK' + fake(HEX, 32) },
  { kind: 'sendgrid-api-token', text: 'msg.send(payload)' },
  { kind: 'mailgun-private-api-token', text: 'mailgun: key-<your key>' },
  { kind: 'mailgun-signing-key', text: 'mailgun_signing_key: ${MAILGUN_SIGNING_KEY}' },
  { kind: 'mailchimp-api-key', text: 'mailchimp_api_key = os.environ["MAILCHIMP_API_KEY"]' },
  { kind: 'linear-api-key', text: 'lin_api_' + fake(ALNUM, 20) },
  { kind: 'postman-api-token', text: 'PMAK-' + fake(HEX, 24) },
  { kind: 'notion-api-token', text: 'ntn_' + fake(ALNUM, 20) },
  { kind: 'atlassian-api-token', text: 'ATATT3' + fake(ALNUM, 50) },
  { kind: 'grafana-api-key', text: 'eyJrIjoi' + fake(ALNUM, 20) },
  { kind: 'grafana-cloud-api-token', text: 'glc_' + fake(ALNUM, 10) },
  { kind: 'grafana-service-account-token', text: 'glsa_' + fake(ALNUM, 32) },
  { kind: 'sentry-user-token', text: 'sntryu_' + fake(HEX, 32) },
  { kind: 'jwt', text: 'eyJhbGciOi is how every JWT header starts' },
  { kind: 'password-in-url', text: 'DATABASE_URL=postgres://postgres:postgres@localhost:5432/app' },
  { kind: 'password-in-url', text: 'git clone https://user:${GIT_PASSWORD}@git.example.com/r.git' },
  { kind: 'password-in-url', text: 'redis://:password@localhost:6379/0' },
  { kind: 'authorization-header', text: 'curl -H "Authorization: token $GITHUB_TOKEN" https://api.github.com/user' },
  { kind: 'authorization-header', text: "headers: { authorization: 'Bearer a-long-enough-token-123' }" },
  { kind: 'password-in-url', text: "const myURL = new URL('https://abc:xyz@example.com');" },
  { kind: 'generic-api-key', text: 'password = process.env.DB_PASSWORD' },
  { kind: 'generic-api-key', text: 'const key = process.env.API_KEY' },
  { kind: 'generic-api-key', text: 'token: ${{ secrets.GITHUB_TOKEN }}' },
  { kind: 'generic-api-key', text: 'api_key = "<your-key-here>"' },
  { kind: 'generic-api-key', text: 'secret = getSecret()' },
  { kind: 'generic-api-key', text: 'key = value' },
  { kind: 'generic-api-key', text: 'export API_TOKEN="${API_TOKEN:-}"' },
  { kind: 'generic-api-key', text: 'password: "********"' },
  { kind: 'generic-api-key', text: 'api_key: xxxxxxxxxxxxxxxxxxxxxxxx' },
  { kind: 'generic-api-key', text: 'private_key_path = /home/user/.ssh/id_ed25519' },
  { kind: 'generic-api-key', text: 'token_url = https://oauth2.googleapis.com/token' },
  { kind: 'generic-api-key', text: 'auth_provider = oauth2-github-provider' },
  { kind: 'generic-api-key', text: 'tokenizer_name = "bert-base-uncased-v2"' },
  { kind: 'generic-api-key', text: 'primary_key = user_id_12345' },
  { kind: 'generic-api-key', text: 'api_version = 2023-10-16.preview' },
  { kind: 'generic-api-key', text: '"cache_read_input_tokens": 12345678901' },
  { kind: 'generic-api-key', text: 'session_token = 00000000-0000-0000-0000-000000000000' },
  { kind: 'generic-api-key', text: 'keyboard_layout = en-US-international' },
  { kind: 'generic-api-key', text: 'secret_name = prod-db-credentials-2024' },
  { kind: 'generic-api-key', text: 'password = "hunter2"' },
  { kind: 'generic-api-key', text: 'apiKey: config.apiKey,' },
  { kind: 'generic-api-key', text: 'SECRET_KEY_BASE = mySecretKeyBase2024' },
  { kind: 'generic-api-key', text: 'api_key = "sk-example-1234567890"' },
];

describe('detector table', () => {
  it('compiles every regex with the g, d and u flags', () => {
    for (const p of SECRET_PATTERNS) {
      expect(p.regex.flags, p.id).toMatch(/^(?=.*d)(?=.*g)(?=.*u)[dgiu]+$/);
      expect(() => new RegExp(p.regex.source, p.regex.flags), p.id).not.toThrow();
    }
  });

  it('keeps no RE2-only syntax (scoped flags, \\z, named groups with P)', () => {
    for (const p of SECRET_PATTERNS) expect(p.regex.source, p.id).not.toMatch(/\(\?-?i|\(\?s|\\z|\(\?P</);
  });

  it('never combines a leading \\b with the i flag (V8 then tries every position)', () => {
    for (const p of SECRET_PATTERNS) if (p.regex.flags.includes('i')) expect(p.regex.source, p.id).not.toMatch(/^\\b/);
  });

  it('has unique ids and non-empty lowercase keywords', () => {
    const ids = SECRET_PATTERNS.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const p of SECRET_PATTERNS) {
      expect(p.keywords.length, p.id).toBeGreaterThan(0);
      for (const k of p.keywords) expect(k, p.id).toBe(k.toLowerCase());
    }
  });

  it('marks only the generic and heuristic detectors as not known', () => {
    expect(SECRET_PATTERNS.filter((p) => !p.known).map((p) => p.id)).toEqual(['authorization-header', 'generic-api-key']);
  });

  it('has a firing and a silent case for every detector', () => {
    const ids = SECRET_PATTERNS.map((p) => p.id).sort();
    expect([...new Set(FIRES.map((f) => f.kind))].sort()).toEqual(ids);
    expect([...new Set(SILENT.map((s) => s.kind))].sort()).toEqual(ids);
  });
});

describe('detectors', () => {
  it.each(FIRES.map((f) => [f.name, f] as const))('finds %s', (_name, { kind, text, secret }) => {
    const matches = scanner.findSecrets(text);
    expect(matches.map((m) => m.kind)).toEqual([kind]);
    expect(text.slice(matches[0]!.start, matches[0]!.end)).toBe(secret);
  });

  it.each(SILENT.map((s) => [s.kind, s.text] as const))('stays silent on a %s look-alike: %j', (_kind, text) => {
    expect(scanner.findSecrets(text)).toEqual([]);
  });
});

describe('identifier heuristic', () => {
  it.each(['oauth2-github-provider', 'myServiceName2', 'SECRET_KEY_BASE_2024', 'prod-db-credentials-2024'])('reads %s as words', (value) => {
    expect(looksLikeIdentifier(value)).toBe(true);
  });

  it.each(['q8Zt3LmV9x' + 'R2pK7wN4sJ', fake(ALNUM, 32), fake(LOWER + DIGITS, 32), fake(HEX, 40), uuid()])('reads %s as random', (value) => {
    expect(looksLikeIdentifier(value)).toBe(false);
  });
});
