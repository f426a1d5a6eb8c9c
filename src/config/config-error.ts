// ConfigError and its one line per problem, naming the variable or the YAML path: zod's issues
// turned into those lines, and a YAML path spelled as a person reads it.
import type { z } from 'zod';

export class ConfigError extends Error {
  readonly code = 'config.invalid';
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'ConfigError';
  }
}

export function issueLines(error: z.ZodError, name: (path: PropertyKey[]) => string, ref: (path: PropertyKey[]) => string = name): string[] {
  return error.issues.map((i) => {
    const msg =
      i.code === 'unrecognized_keys' ? `has unknown key${i.keys.length > 1 ? 's' : ''} ${i.keys.join(', ')}` : i.message;
    const where = i.code === 'unrecognized_keys' && i.path.length === 0 ? '(top level)' : name(i.path);
    // `{imap.accessToken}` in a message names another setting of the same inbox, the way this one is named.
    const inbox = i.path[0] === 'inboxes' ? i.path.slice(0, 2) : [];
    return `${where} ${msg.replace(/\{([a-zA-Z.]+)\}/g, (_, p: string) => ref([...inbox, ...p.split('.')]))}`;
  });
}

/** `inboxes[1].imap.port` */
export function yamlPath(path: PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i ? '.' : ''}${String(p)}`)).join('');
}
