// Command-line entry: `mailroom start | doctor | auth | backup | inspect | rules | manifest`. Each command
// lives in its own module, loaded only when asked for, so `inspect` never pays for Slack or SQLite.

const USAGE = `Usage: mailroom <command>

Commands:
  start                       run Mailroom (also: npm start)
  doctor                      check the configuration and every connection
  auth [--inbox NAME] [--device] [--print]
                              sign an inbox's mailbox in with OAuth2 (once)
  backup FILE                 write a consistent copy of the database, also while it runs
  inspect [--json] FILE.eml…  show how Mailroom reads a message
  inspect --body FILE [--subject TEXT]
                              the same for a bare plain-text body
  rules test [--inbox NAME] [--json] FILE.eml…
                              which routing rule would act on an email, and how
  manifest [--http PUBLIC_URL] [--json]
                              print the Slack app manifest and a one-click link
`;

export async function runCli(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'start':
      return (await import('./start.ts')).startCommand(rest);
    case 'auth':
      return (await import('./auth.ts')).authCommand(rest);
    case 'doctor':
      return (await import('./doctor.ts')).doctorCommand(rest);
    case 'inspect':
      return (await import('./inspect.ts')).inspectCommand(rest);
    case 'backup':
      return (await import('./backup.ts')).backupCommand(rest);
    case 'rules':
      return (await import('./rules.ts')).rulesCommand(rest);
    case 'manifest':
      return (await import('./manifest.ts')).manifestCommand(rest);
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(USAGE);
      return command === undefined ? 1 : 0;
    default:
      process.stderr.write(`mailroom: unknown command "${command}"\n\n${USAGE}`);
      return 2;
  }
}
