/**
 * Shared lists the built-in rules match against (security reference B.3). Globs are picomatch
 * globs; `~/` is expanded to the user's home when they are compiled (see paths.ts).
 */

/** Credential stores: SSH keys, cloud CLIs, registry tokens, keyrings, browsers, wallets, agent OAuth. */
export const CRED_GLOBS = [
  '~/.ssh/id_*', '~/.ssh/*.pem', '~/.ssh/*_key', '~/.ssh/*_key.*', '~/.ssh/*.key',
  '~/.aws/credentials', '~/.aws/config', '~/.aws/sso/cache/**', '~/.aws/cli/cache/**',
  '~/.config/gcloud/**/credentials.db', '~/.config/gcloud/**/access_tokens.db', '~/.config/gcloud/legacy_credentials/**',
  '**/application_default_credentials.json',
  '~/.azure/accessTokens.json', '~/.azure/msal_token_cache.*', '~/.kube/config', '~/.docker/config.json',
  '~/.npmrc', '~/.yarnrc.yml', '~/.pypirc', '~/.cargo/credentials', '~/.cargo/credentials.toml', '~/.gem/credentials',
  '~/.m2/settings.xml', '~/.gradle/gradle.properties', '~/.nuget/NuGet/NuGet.Config', '~/.composer/auth.json',
  '~/.netrc', '~/.git-credentials', '~/.config/gh/hosts.yml', '~/.vault-token', '~/.terraform.d/credentials.tfrc.json',
  '~/.gnupg/private-keys-v1.d/**', '~/.gnupg/secring.gpg', '~/.password-store/**', '~/.local/share/keyrings/**',
  '~/Library/Keychains/**',
  '~/.config/{google-chrome,chromium,BraveSoftware/Brave-Browser,microsoft-edge}/**/{Login Data,Cookies,Web Data,Local State}',
  '~/Library/Application Support/{Google/Chrome,Chromium,BraveSoftware/Brave-Browser,Microsoft Edge}/**/{Login Data,Cookies,Web Data,Local State}',
  '~/.mozilla/firefox/**/{logins.json,key4.db,cookies.sqlite}',
  '~/Library/Application Support/Firefox/Profiles/**/{logins.json,key4.db,cookies.sqlite}',
  '~/Library/Cookies/**', '~/Library/Containers/com.apple.Safari/**/Cookies/**',
  '~/.config/solana/id.json', '~/.ethereum/keystore/**', '**/wallet.dat', '~/.electrum/wallets/**',
  '~/.claude/.credentials.json', '~/.codex/auth.json', '~/.gemini/oauth_creds.json',
  '/etc/shadow', '/etc/gshadow', '/etc/sudoers', '/etc/sudoers.d/**',
];

/** Project secret files. */
export const SECRET_FILE_GLOBS = [
  '**/.env', '**/.env.*', '**/.envrc', '**/*.tfvars', '**/*.tfstate', '**/*.tfstate.backup',
  '**/secrets.{yml,yaml,json}', '**/*.{p12,pfx,jks,keystore,key}',
];

/** Secret-file look-alikes that hold no secrets. */
export const SECRET_FILE_EXCLUDE = [
  '**/.env.{example,sample,template,dist,defaults,schema}', '**/*.{example,sample,template}',
  // Copies of the look-alikes (`.env.sample.bak`, `.env.example.local`).
  '**/.env.{example,sample,template,dist,defaults,schema}.*',
];

export const SHELL_RC_GLOBS = [
  '~/.bashrc', '~/.bash_profile', '~/.bash_login', '~/.bash_logout', '~/.profile', '~/.zshrc', '~/.zshenv',
  '~/.zprofile', '~/.zlogin', '~/.zlogout', '~/.config/fish/**', '~/.kshrc', '~/.cshrc', '~/.tcshrc',
  '/etc/profile', '/etc/profile.d/**', '/etc/bash.bashrc', '/etc/bashrc', '/etc/zsh/**', '/etc/zshrc', '/etc/zprofile',
  '/etc/environment', '/home/*/.zlogin', '/home/*/.bashrc', '/home/*/.zshrc', '/root/.bashrc', '/root/.zshrc', '/root/.profile',
];

export const CRON_GLOBS = ['/etc/crontab', '/etc/cron.*/**', '/etc/cron.d/**', '/var/spool/cron/**', '/etc/anacrontab'];

export const SYSTEMD_GLOBS = [
  '~/.config/systemd/user/**', '/etc/systemd/system/**', '/etc/systemd/user/**', '/usr/lib/systemd/system/**',
  '/lib/systemd/system/**',
];

export const LAUNCHD_GLOBS = ['~/Library/LaunchAgents/**', '/Library/LaunchAgents/**', '/Library/LaunchDaemons/**'];

export const SSH_PERSIST_GLOBS = ['~/.ssh/authorized_keys', '~/.ssh/authorized_keys2', '~/.ssh/rc', '/etc/ssh/sshd_config', '/etc/ssh/sshd_config.d/**'];

export const AUTOSTART_GLOBS = [
  '~/.config/autostart/**', '/etc/xdg/autostart/**', '/etc/ld.so.preload', '/etc/rc.local', '/etc/init.d/**',
];

/** Claude Code settings files: a change here can silence every hook or drop every permission check. */
export const CLAUDE_SETTINGS_GLOBS = [
  '~/.claude/settings.json', '~/.claude/settings.local.json', '**/.claude/settings.json', '**/.claude/settings.local.json',
  '~/.claude.json', '**/managed-settings.json',
];

/** Coding-agent configuration, memory and MCP registration. */
export const AGENT_CONFIG_GLOBS = [
  ...CLAUDE_SETTINGS_GLOBS,
  '~/.claude/agents/**', '~/.claude/commands/**', '~/.claude/skills/**', '~/.claude/plugins/**', '~/.claude/hooks/**',
  '**/.claude/agents/**', '**/.claude/commands/**', '**/.claude/skills/**', '**/.claude/hooks/**',
  '**/CLAUDE.md', '**/CLAUDE.local.md', '**/.mcp.json', '**/.cursor/mcp.json', '**/.cursor/rules/**',
  '**/.vscode/settings.json', '**/.vscode/tasks.json', '**/.vscode/mcp.json', '~/.codex/config.toml', '~/.gemini/settings.json',
];

/** Hosts with no legitimate use while coding: request bins, OAST, paste and file drops, tunnels. */
export const EXFIL_TIER1_HOSTS = [
  'webhook.site', 'requestbin.com', 'requestbin.net', 'pipedream.net', 'pipedream.com', 'hookbin.com', 'beeceptor.com',
  'requestcatcher.com', 'interact.sh', 'interactsh.com', 'oast.pro', 'oast.live', 'oast.site', 'oast.online', 'oast.fun',
  'oast.me', 'oastify.com', 'burpcollaborator.net', 'canarytokens.com', 'canarytokens.org', 'dnslog.cn', 'ceye.io',
  'pastebin.com', 'paste.ee', 'hastebin.com', 'ghostbin.com', 'ghostbin.co', 'dpaste.com', 'dpaste.org', 'termbin.com',
  'ix.io', 'sprunge.us', '0x0.st', 'transfer.sh', 'temp.sh', 'file.io', 'bashupload.com', 'x0.at', 'catbox.moe',
  'litterbox.catbox.moe', 'gofile.io', 'pixeldrain.com', 'ngrok.io', 'ngrok.app', 'ngrok-free.app', 'ngrok.dev',
  'ngrok-free.dev', 'trycloudflare.com', 'serveo.net', 'localhost.run', 'lhr.life', 'loca.lt',
];

/** URL prefixes (host + path) of chat webhooks. */
export const EXFIL_TIER1_URL_PREFIXES = [
  'discord.com/api/webhooks/', 'discordapp.com/api/webhooks/', 'hooks.slack.com/services/', 'hooks.slack.com/workflows/',
  'api.telegram.org/bot',
];

/** Free hosting where anyone can stand up an endpoint; medium on its own. */
export const EXFIL_TIER2_HOSTS = [
  'workers.dev', 'pages.dev', 'glitch.me', 'onrender.com', 'supabase.co', 'vercel.app', 'netlify.app', 'herokuapp.com',
  'repl.co', 'replit.dev', 'gist.githubusercontent.com', 'fly.dev', 'deno.dev', 'firebaseapp.com', 'web.app',
];

/** Cloud instance-metadata endpoints. */
export const METADATA_HOSTS = [
  '169.254.169.254', '169.254.170.2', '[fd00:ec2::254]', 'fd00:ec2::254', 'metadata.google.internal', 'metadata',
  '100.100.100.200', 'metadata.azure.com',
];

/** Commands that move bytes over the network. */
export const NET_TOOLS = [
  'curl', 'wget', 'nc', 'ncat', 'netcat', 'socat', 'ssh', 'scp', 'sftp', 'rsync', 'ftp', 'tftp', 'telnet', 'http', 'https',
  'xh', 'aria2c', 'fetch', 'lftp', 'smbclient', 'gh', 'aws', 'gsutil', 'rclone', 'openssl',
];

/** Commands that resolve names (and so can carry data in DNS queries). */
export const DNS_TOOLS = [
  'nslookup', 'dig', 'host', 'drill', 'kdig', 'ping', 'ping6', 'traceroute', 'traceroute6', 'getent', 'resolvectl', 'dscacheutil',
];

/** Commands that fetch remote content. */
export const DOWNLOADERS = ['curl', 'wget', 'fetch', 'aria2c', 'http', 'https', 'xh'];

/** Commands that execute code given on stdin or as a string. */
export const SHELLS = ['sh', 'bash', 'zsh', 'dash', 'ksh', 'ash', 'fish', 'csh', 'tcsh', 'busybox'];

export const INTERPRETERS = [
  ...SHELLS, 'python', 'python2', 'python3', 'perl', 'ruby', 'node', 'nodejs', 'deno', 'bun', 'php', 'osascript', 'pwsh', 'lua', 'tclsh',
];

/** Returns whether `name` is an interpreter, versioned names included (python3.12, node20). */
export function isInterpreter(name: string): boolean {
  const base = name.replace(/[\d.]+$/, '');
  return INTERPRETERS.includes(name) || INTERPRETERS.includes(base);
}

/** Basenames of shell history files. */
export const HISTORY_FILE = /(^|\.)(bash|zsh|sh|fish|python|node_repl|mysql|psql|sqlite|irb|lesshst|rediscli)_history$|^\.zhistory$|^fish_history$|^\.histfile$/;

/** Returns whether `host` equals `domain` or is a subdomain of it (never a prefix or substring test). */
export function hostIs(host: string, domain: string): boolean {
  return host === domain || host.endsWith(`.${domain}`);
}

/** Returns the first of `domains` that `host` is or is under. */
export function hostIn(host: string, domains: readonly string[]): string | undefined {
  return domains.find((d) => hostIs(host, d));
}

/** Returns whether a host is this machine (`127.evil.example` is not: only dotted IPv4 in 127/8 is). */
export function isLocalHost(host: string): boolean {
  return LOCAL_HOST.test(host.toLowerCase().replace(/^\[|\]$/g, ''));
}
const LOCAL_HOST = /^(localhost|.*\.localhost|127(\.\d{1,3}){3}|::1|0\.0\.0\.0)$/;

/**
 * Directories whose content is (almost) all credentials: archiving, searching or listing them is
 * treated like touching a credential store. Browser profile trees match at any depth.
 */
export const CRED_DIR_GLOBS = [
  '~/.ssh', '~/.aws', '~/.aws/sso', '~/.aws/sso/cache', '~/.gnupg', '~/.gnupg/private-keys-v1.d', '~/.config/gcloud',
  '~/.config/gcloud/legacy_credentials', '~/.azure', '~/.kube', '~/.docker', '~/.password-store', '~/.local/share/keyrings',
  '~/Library/Keychains', '~/.config/gh', '~/.ethereum/keystore', '~/.electrum', '~/.config/solana',
  '~/.config/{google-chrome,chromium,BraveSoftware,microsoft-edge}{,/**}', '~/.mozilla/firefox{,/**}',
  '~/Library/Application Support/{Google/Chrome,Chromium,BraveSoftware,Microsoft Edge,Firefox}{,/**}',
  '~/Library/Cookies',
];

/** Out-of-band interaction (OAST) domains: a lookup of any name under them is itself the signal. */
export const OAST_HOSTS = [
  'interact.sh', 'interactsh.com', 'oast.pro', 'oast.live', 'oast.site', 'oast.online', 'oast.fun', 'oast.me', 'oastify.com',
  'burpcollaborator.net', 'canarytokens.com', 'canarytokens.org', 'dnslog.cn', 'ceye.io', 'requestrepo.com', 'dnslog.link',
];

/** Agent memory and instruction files (standing instructions every session reads). */
export const AGENT_MEMORY_GLOBS = [
  '**/CLAUDE.md', '**/CLAUDE.local.md', '**/AGENTS.md', '**/GEMINI.md', '**/.cursor/rules/**', '**/.cursorrules',
  '**/.windsurfrules', '**/.github/copilot-instructions.md', '**/.clinerules', '**/.clinerules/**',
];
