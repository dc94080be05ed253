// Starts Pathway's command line as its own process, as a council would (`node src/cli.ts <command>` through tsx),
// on a free port, and resolves once it prints its ready line.
import { spawn, type ChildProcess } from 'node:child_process';
import { RUN_TYPESCRIPT } from './typescript.ts';

export interface RunningPathway {
  process: ChildProcess;
  url: string;
  output: () => string;
}

export function startPathway(
  command: string,
  env: Record<string, string>,
  options: { readyLine?: RegExp; timeoutMs?: number } = {},
): Promise<RunningPathway> {
  const readyLine = options.readyLine ?? /Pathway is ready at (http:\/\/\S+)/;
  const timeoutMs = options.timeoutMs ?? 60_000;
  const child = spawn(process.execPath, [...RUN_TYPESCRIPT, 'src/cli.ts', command], {
    env: { ...process.env, NODE_ENV: 'development', LOG_LEVEL: 'warn', HOST: '127.0.0.1', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`Pathway did not start in ${String(timeoutMs / 1000)} s:\n${output}`)),
      timeoutMs,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const ready = readyLine.exec(output);
      if (ready) {
        clearTimeout(timer);
        resolve({ process: child, url: ready[1] ?? '', output: () => output });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Pathway exited with ${String(code)}:\n${output}`));
    });
  });
}
