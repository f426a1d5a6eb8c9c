// The several-inbox setup: the YAML file named by MAILROOM_CONFIG, its `${NAME}`s filled in from
// the environment, then validated, each problem named by file and path.
import { createRequire } from 'node:module';
import { z } from 'zod';
import { ConfigError, issueLines, yamlPath } from './config-error.ts';
import type { Env } from './global-env.ts';
import { inboxSchema, type InboxSettings } from './schema.ts';

/** Replace `${NAME}` in every string of the YAML tree by that environment variable. */
function substitute(node: unknown, env: Env, path: PropertyKey[], problems: string[] | null): unknown {
  if (typeof node === 'string')
    return node.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, name: string) => {
      const v = env[name];
      // Without `problems` (a tool that reads only the rules), a missing secret is no matter.
      if (v === undefined) problems?.push(`${yamlPath(path)} refers to \${${name}}, which is not set in the environment`);
      return v ?? (problems ? '' : 'unset');
    });
  if (Array.isArray(node)) return node.map((v, i) => substitute(v, env, [...path, i], problems));
  if (node && typeof node === 'object')
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, substitute(v, env, [...path, k], problems)]));
  return node;
}

const fileSchema = z.strictObject({
  inboxes: z.array(inboxSchema, { error: 'must be a list of inboxes' }).min(1, { error: 'must list at least one inbox' }),
});

export function inboxesFromFile(file: string, env: Env, readFile: (p: string) => string, strict = true): InboxSettings[] {
  let source: string;
  try {
    source = readFile(file);
  } catch (e) {
    throw new ConfigError([`MAILROOM_CONFIG names ${file}, which cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})`]);
  }
  // Loaded only for a YAML file: an environment-only setup starts ~60 ms sooner without it.
  const { parseDocument } = createRequire(import.meta.url)('yaml') as typeof import('yaml');
  const doc = parseDocument(source);
  if (doc.errors.length) {
    const e = doc.errors[0]!;
    const line = e.linePos?.[0]?.line;
    throw new ConfigError([`${file}${line ? `:${line}` : ''} is not valid YAML: ${e.message.split('\n')[0]}`]);
  }
  const problems: string[] = [];
  const tree = substitute(doc.toJS(), env, [], strict ? problems : null);
  if (problems.length) throw new ConfigError(problems.map((p) => `${file}: ${p}`));
  const parsed = fileSchema.safeParse(tree ?? {});
  if (!parsed.success) throw new ConfigError(issueLines(parsed.error, (p) => `${file}: ${yamlPath(p)}`, yamlPath));
  return parsed.data.inboxes;
}
