import { main } from '../main.ts';

export async function startCommand(_args: string[]): Promise<number> {
  return main();
}
