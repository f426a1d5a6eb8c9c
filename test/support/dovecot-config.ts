/** Renders the dovecot.conf of a throw-away test instance (facts in /work/shared/TESTING.md). */

/** Which system account Dovecot runs as and stores mail under. */
export interface DovecotAccount {
  root: boolean;
  uid: number;
  gid: number;
  userName: string;
  groupName: string;
}

export interface SpecialMailbox {
  name: string;
  /** An RFC 6154 attribute such as '\\Sent', '\\Junk', '\\Drafts', '\\Trash', '\\Archive'. */
  specialUse: string;
}

export interface DovecotConfigInput {
  dir: string;
  port: number;
  account: DovecotAccount;
  idle: boolean;
  mailboxes: SpecialMailbox[];
  /** Check XOAUTH2/OAUTHBEARER tokens by RFC 7662 introspection at this URL (Dovecot's oauth2 passdb). */
  oauth2IntrospectionUrl?: string | undefined;
  /** Connections open at once (Dovecot's default process limit is 100: one imap process each). */
  maxConnections?: number | undefined;
}

/** The oauth2 passdb's settings file (written next to dovecot.conf as oauth2.conf.ext). */
export function renderOAuth2Config(introspectionUrl: string): string {
  return `introspection_mode = post
introspection_url = ${introspectionUrl}
username_attribute = username
active_attribute = active
active_value = true
`;
}

// Dovecot 2.3.19's post-login capability list minus IDLE. `imap_capability` replaces the whole list
// (a '+' prefix could only add), so this is how a test gets a server without IDLE.
const CAPABILITIES_WITHOUT_IDLE = [
  'IMAP4rev1', 'SASL-IR', 'LOGIN-REFERRALS', 'ID', 'ENABLE', 'SORT', 'SORT=DISPLAY', 'THREAD=REFERENCES',
  'THREAD=REFS', 'THREAD=ORDEREDSUBJECT', 'MULTIAPPEND', 'URL-PARTIAL', 'CATENATE', 'UNSELECT', 'CHILDREN',
  'NAMESPACE', 'UIDPLUS', 'LIST-EXTENDED', 'I18NLEVEL=1', 'CONDSTORE', 'QRESYNC', 'ESEARCH', 'ESORT',
  'SEARCHRES', 'WITHIN', 'CONTEXT=SEARCH', 'LIST-STATUS', 'BINARY', 'MOVE', 'SNIPPET=FUZZY', 'PREVIEW=FUZZY',
  'PREVIEW', 'STATUS=SIZE', 'SAVEDATE', 'LITERAL+', 'NOTIFY', 'SPECIAL-USE',
].join(' ');

/** The special-use mailboxes every test instance has (auto-created and subscribed at login). */
export const DEFAULT_SPECIAL_MAILBOXES: SpecialMailbox[] = [
  { name: 'Sent', specialUse: '\\Sent' },
  { name: 'Drafts', specialUse: '\\Drafts' },
  { name: 'Junk', specialUse: '\\Junk' },
  { name: 'Trash', specialUse: '\\Trash' },
  { name: 'Archive', specialUse: '\\Archive' },
];

/** Returns the text of dovecot.conf for one instance. */
export function renderDovecotConfig(input: DovecotConfigInput): string {
  const { dir, port, account } = input;
  const mailboxes = input.mailboxes
    .map((m) => `  mailbox "${m.name}" {\n    special_use = ${m.specialUse}\n    auto = subscribe\n  }`)
    .join('\n');
  // As root Dovecot keeps its own unprivileged internal users; as anyone else it must run as that user.
  const asUser = account.root
    ? ''
    : `default_internal_user = ${account.userName}
default_internal_group = ${account.groupName}
default_login_user = ${account.userName}
`;
  return `protocols = imap
listen = 127.0.0.1
base_dir = ${dir}/run
state_dir = ${dir}/state
instance_name = mailroom-test-${port}
log_path = /dev/stderr
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login${input.oauth2IntrospectionUrl ? ' xoauth2 oauthbearer' : ''}
# Answer a wrong password at once: the default 2 s delay would only slow tests down.
auth_failure_delay = 0
${input.maxConnections ? `default_process_limit = ${input.maxConnections}\ndefault_client_limit = ${4 * input.maxConnections}\n` : ''}${input.idle ? '' : `imap_capability = ${CAPABILITIES_WITHOUT_IDLE}\n`}${asUser}${
    input.oauth2IntrospectionUrl
      ? `passdb {
  driver = oauth2
  mechanisms = xoauth2 oauthbearer
  args = ${dir}/oauth2.conf.ext
}
`
      : ''
  }passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${dir}/users
}
userdb {
  driver = static
  args = uid=${account.uid} gid=${account.gid} home=${dir}/mail/%u
}
mail_location = maildir:~/Maildir
namespace inbox {
  inbox = yes
${mailboxes}
}
# No growing login delay for 127.0.0.1 after a test's deliberate wrong password (auth penalty).
service anvil {
  unix_listener anvil-auth-penalty {
    mode = 0
  }
${account.root ? '' : '  chroot =\n'}}
service imap-login {
${account.root ? '' : '  chroot =\n'}  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
`;
}
